using System.Buffers.Binary;
using GenVm.Core.Calldata;
using GenVm.Core.Runners;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Root record locking (contract-corpus.md §2.15 locking/default-frozen, modify_ctor, modify_later; python-sdk.md
/// §16, §17.10; host-protocol.md §7.1, §12) with <c>Corpus/locking.py</c>: deployment locks the root, code, locked
/// slots and upgraders slots; a later write to the code slot is refused inside the VM (<c>6: forbidden</c>, no host
/// call) unless the sender is an upgrader; writes during the deployment itself are allowed (the locked set is read
/// before the transaction). Steps run through <c>genvm exec</c> without a contract file after the deployment, so a
/// patched code slot is what runs next. The write logs are checked against §17.10 through <c>genvm run</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusLockingTests : CorpusFixture
{
    // §17.10: the four default locked ids as the SDK prints them (u256 little-endian of the slot ids).
    private const string DefaultLocked =
        "locked [0, 104719743780096590577697194990451901900258198514698274453690604555695722573537, "
        + "5147135863452175656394978567785114489906633378855095627257376406960105455802, "
        + "46342954650747611132690097513405510122375903838997656252402239048600340445473]\n";

    private const string Upgrader = "0x0200000000000000000000000000000000000000";

    private const string Other = "0x0300000000000000000000000000000000000000";

    private const string Patched = "# { \"Depends\": \"py-genlayer:test\" }\nprint('patched code runs')\nexit(30)\n";

    private static readonly string Ok = "executed with `Return(\"\\x00\")`\n";

    private static readonly string PatchRefused = "truncate: 6: forbidden\npatched False " + File.ReadAllBytes(CorpusExec.Contract("locking.py")).Length + "\n" + Ok;

    private static readonly string PatchDone = $"patched True {Patched.Length}\n" + Ok;

    private static readonly string PatchedRuns = "patched code runs\nexecuted with `VMError(\"exit_code 30\")`\n";

    [Test]
    public async Task Exec_DefaultFrozen_CodeWriteIsForbiddenAndFieldsStayWritable()
    {
        var deploy = await Exec.ResultAsync("locking.py", "--deploy", "--args", "[[], false]");
        var patch = await Exec.ResultPathAsync(null, "--method", "patch");
        var touch = await Exec.ResultPathAsync(null, "--method", "touch", "--args", "[\"hi\"]");

        Assert.That(deploy, Is.EqualTo(DefaultLocked + "upgraders []\n" + Ok));
        Assert.That(patch, Is.EqualTo(PatchRefused));
        // The original code still runs; contract fields are not locked.
        Assert.That(touch, Is.EqualTo(CorpusExec.ReturnsString("hi")));
    }

    [Test]
    public async Task Exec_ModifyLater_OnlyAnUpgraderMayPatchAndThePatchedCodeRunsNext()
    {
        var deploy = await Exec.ResultAsync("locking.py", "--deploy", "--args", $"[[addr#{Upgrader[2..]}], false]");
        var refused = await Exec.ResultPathAsync(null, "--method", "patch", "--sender", Other);
        var done = await Exec.ResultPathAsync(null, "--method", "patch", "--sender", Upgrader);
        var next = await Exec.ResultPathAsync(null, "--method", "touch", "--args", "[\"hi\"]");

        Assert.That(deploy, Is.EqualTo(DefaultLocked + $"upgraders ['{Upgrader}']\n" + Ok));
        Assert.That(refused, Is.EqualTo(PatchRefused));
        Assert.That(done, Is.EqualTo(PatchDone));
        Assert.That(next, Is.EqualTo(PatchedRuns));
        // The length word and the new code; slots are never shortened, so the old code's tail stays after them
        // (the executor reads only `length` octets, host-protocol.md §7.1 step 4).
        Assert.That(Exec.SlotHex(CorpusExec.Child(CorpusExec.RootSlot, 1)), Does.StartWith(
            Convert.ToHexStringLower(BitConverter.GetBytes(Patched.Length)) + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(Patched))));
    }

    [Test]
    public async Task Exec_ModifyInConstructor_IsAllowedWithoutUpgraders()
    {
        var deploy = await Exec.ResultAsync("locking.py", "--deploy", "--args", "[[], true]");
        var next = await Exec.ResultPathAsync(null, "--method", "touch", "--args", "[\"hi\"]");

        Assert.That(deploy, Is.EqualTo(DefaultLocked + "upgraders []\n" + PatchDone));
        Assert.That(next, Is.EqualTo(PatchedRuns));
    }

    [Test]
    public async Task WriteLog_DeployAndPatches_AreTheSpecWritesAndARefusedWriteNeverReachesTheHost()
    {
        var runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? string.Empty;
        var code = File.ReadAllBytes(CorpusExec.Contract("locking.py"));
        var registry = RunnerRegistry.Open(runners);
        var upgrader = Convert.FromHexString(Upgrader[2..]);
        var deployCalldata = CalldataCodec.Encode(CalldataValue.FromMap(
            ("args", CalldataValue.FromArray(CalldataValue.FromArray(CalldataValue.FromAddress(new Address(upgrader))), CalldataValue.FromBool(false)))));
        var patchCalldata = CalldataCodec.Encode(CalldataValue.FromMap(("method", CalldataValue.FromString("patch"))));
        var node = ContractRun.Deploy(code, deployCalldata);

        var deploy = await Run(node, registry, isInit: true, sender: "AgAAAAAAAAAAAAAAAAAAAAAAAAA=");
        node.Calldata = patchCalldata;
        var refused = await Run(node, registry, isInit: false, sender: "AwAAAAAAAAAAAAAAAAAAAAAAAAA=");
        var done = await Run(node, registry, isInit: false, sender: "AgAAAAAAAAAAAAAAAAAAAAAAAAA=");

        var root = CorpusExec.RootSlot;
        var codeSlot = CorpusExec.Child(root, 1);
        var locked = CorpusExec.Child(root, 2);
        var upgraders = CorpusExec.Child(root, 3);
        var instance = CorpusExec.InstanceSlot;
        // §17.10: lock_default appends the four ids (VLA append: the new count, then the 32-octet element), before
        // __init__; then the constructor's upgraders.extend([0x02…]) and note = 'deployed' (§17.3 str).
        string[] expectedDeploy =
        [
            W(locked, 0, "01000000"), W(locked, 4, Convert.ToHexStringLower(root)),
            W(locked, 0, "02000000"), W(locked, 36, Convert.ToHexStringLower(codeSlot)),
            W(locked, 0, "03000000"), W(locked, 68, Convert.ToHexStringLower(locked)),
            W(locked, 0, "04000000"), W(locked, 100, Convert.ToHexStringLower(upgraders)),
            W(upgraders, 0, "01000000"), W(upgraders, 4, Convert.ToHexStringLower(upgrader)),
            W(instance, 0, "08000000"), W(CorpusExec.Child(instance, 0), 0, Convert.ToHexStringLower("deployed"u8)),
        ];
        Assert.That(deploy.Writes, Is.EqualTo(expectedDeploy));
        Assert.That(deploy.ResultLine, Is.EqualTo("executed with `Return(\"\\x00\")`"));
        // host-protocol.md §12: the refused truncate is never sent; the transaction still returns.
        Assert.That(refused.Writes, Is.Empty);
        Assert.That(refused.ResultLine, Is.EqualTo("executed with `Return(\"\\x00\")`"));
        // An upgrader's patch: truncate (count 0), then extend(bytes) as one count write and one data write (§16).
        Assert.That(done.Writes, Is.EqualTo(new[]
        {
            W(codeSlot, 0, "00000000"),
            W(codeSlot, 0, Convert.ToHexStringLower(BitConverter.GetBytes(Patched.Length))),
            W(codeSlot, 4, Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(Patched))),
        }));
    }

    private static string W(byte[] slot, uint index, string hex) => $"{Convert.ToHexStringLower(slot)} @{index}: {hex}";

    private static async Task<(List<string> Writes, string ResultLine)> Run(TestNode node, RunnerRegistry registry, bool isInit, string sender)
    {
        var before = node.Transcript.Count;
        var message = "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"" + sender + "\",\"origin_address\":\"" + sender
            + "\",\"chain_id\":\"0\",\"value\":null,\"is_init\":" + (isInit ? "true" : "false") + "}";
        var run = await new ContractRun { Node = node, Runners = registry, Message = message, ExtraArgs = ["--debug-mode"] }.RunAsync();
        var writes = node.Transcript.Skip(before)
            .Where(r => r.Method == 2)
            .Select(r => W(r.Field("slot"), BinaryPrimitives.ReadUInt32LittleEndian(r.Field("index")), Convert.ToHexStringLower(r.Field("data"))))
            .ToList();
        return (writes, run.ResultLine);
    }
}
