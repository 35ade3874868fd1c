using GenVm.Core.Calldata;
using GenVm.Core.Pool;
using GenVm.Core.Protocol;
using GenVm.Tests.Core.Pool;
using GenVm.Tests.Wasm;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// wasm-abi.md §12 "contract code read from storage: its length (first load only)", at the edge of the det pool. A VM
/// of a raw wasm contract also charges its archive (the same bytes) and its memory, so a contract of L octets with one
/// page needs exactly 65536 + 2·L units.
/// </summary>
[TestFixture]
[Category("Executor")]
public sealed class CodeChargeTests
{
    private const long Page = 65536;

    private static readonly byte[] OnePage = WatCompiler.Compile("(module (memory (export \"memory\") 1) (func (export \"_start\")))");

    private static async Task<ExecutionResult> RunAsync(long executionMemory, TestNodeSetup setup)
    {
        using var pool = new ExecutionPool(new ExecutionPoolOptions { ExecutionMemory = executionMemory, ProcessMemoryCap = 10 * executionMemory });
        var result = await PoolRun.RunAsync(pool, setup());
        Assert.That(pool.ProcessMemory.Available, Is.EqualTo(10 * executionMemory), "everything was given back with the run");
        return result;
    }

    private delegate GenVm.Tests.Core.Host.TestNode TestNodeSetup();

    [Test]
    public async Task Run_PoolHoldsMemoryArchiveAndCode_Return()
    {
        var result = await RunAsync(Page + (2 * OnePage.Length), () => ContractRun.Deploy(OnePage));

        Assert.That(result.Outcome!.Result.Kind, Is.EqualTo(ResultCode.Return), result.Outcome.Result.Message);
    }

    [Test]
    public async Task Run_PoolOneUnitShortOfTheCode_OomBeforeTheContractStarts()
    {
        var result = await RunAsync(Page + (2 * OnePage.Length) - 1, () => ContractRun.Deploy(OnePage));

        Assert.That(result.Outcome!.Result.Kind, Is.EqualTo(ResultCode.VmError));
        Assert.That(result.Outcome.Result.Message, Is.EqualTo("OOM"));
    }

    [Test]
    public async Task Run_CodeLargerThanThePool_OomWithoutReadingItTwice()
    {
        var node = ContractRun.Deploy(OnePage);

        var result = await RunAsync(OnePage.Length - 1, () => node);

        Assert.That(result.Outcome!.Result.Message, Is.EqualTo("OOM"));
        Assert.That(node.Transcript.Count(r => r.Method == (byte)HostMethod.StorageRead && Convert.ToHexStringLower(r.Field("slot")) == SlotId.Code.ToLowerInvariant()), Is.EqualTo(2), "length and code, once");
    }

    [TestCase(0, "Return")]
    [TestCase(-1, "OOM")]
    public async Task Run_CalleeCodeAtThePoolEdge_CallerGetsTheCalleesOom(long delta, string expected)
    {
        const string callee = "0300000000000000000000000000000000000000";
        var caller = new SubVmContract
        {
            MainRequest = SubVmContract.Request("CallContract", CalldataValue.FromMap(("address", new Address(Convert.FromHexString(callee))), ("calldata", CalldataValue.FromMap(Enumerable.Empty<KeyValuePair<string, CalldataValue>>())), ("state", 0))),
        }.Compile();

        // The caller (8 pages, archive, code) and the callee (1 page, archive, code) are alive at the same time.
        var edge = (8 * Page) + (2 * caller.Length) + Page + (2 * OnePage.Length);
        var result = await RunAsync(edge + delta, () =>
        {
            var node = ContractRun.Deploy(caller);
            ContractRun.DeployAt(node, callee, OnePage);
            return node;
        });

        var outcome = result.Outcome!.Result;
        Assert.That(outcome.Kind == ResultCode.Return ? "Return" : outcome.Message, Is.EqualTo(expected));
    }
}
