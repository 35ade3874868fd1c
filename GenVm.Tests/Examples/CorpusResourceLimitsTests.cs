using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus resource-exhaustion cases (contract-corpus.md §2.2 oom, fork_bomb; python-sdk.md §6.3, §10.2; wasm-abi.md
/// §12) through <c>genvm exec</c>: a contract that allocates beyond the linear memory gets Python's
/// <c>MemoryError</c>, and a sandbox that spawns sandboxes inside itself ends on the transaction's memory pool with
/// <c>VMError('OOM')</c>. Both end quickly and leave the executor usable: later runs in the same process work.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusResourceLimitsTests : CorpusFixture
{
    private const string Reserving = "reserving 1 GiB\nreserving 2 GiB\nreserving 3 GiB\nreserving 4 GiB\n";

    [Test]
    public async Task Exec_AllocatingBeyondTheMemory_MemoryErrorEndsWithExitCode1AndIsCatchable()
    {
        await Exec.RunAsync("oom.py", "--deploy");

        var exhaust = await Exec.ResultAsync("oom.py", "--method", "exhaust");
        var afterExhaust = await Exec.ResultAsync("oom.py", "--method", "get");
        var recover = await Exec.ResultAsync("oom.py", "--method", "recover");
        var afterRecover = await Exec.ResultAsync("oom.py", "--method", "get");

        // Three 1 GiB buffers fit the 4 GiB linear memory (wasm-abi.md §12: growth charged to the det pool of
        // 2^32 - 1 octets); the fourth cannot, memory.grow gives -1, CPython raises MemoryError and, uncaught, it is
        // exit code 1 (python-sdk.md §6.3, stable/exploits/oom). The method's write is dropped: count is still 1.
        Assert.That(exhaust, Is.EqualTo(Reserving + "executed with `VMError(\"exit_code 1\")`\n"));
        Assert.That(afterExhaust, Is.EqualTo("executed with `Return(\"\\x09\")`\n"));
        // Caught, the VM goes on: closing the readers frees their buffers, and a fourth 1 GiB fits again.
        Assert.That(recover, Is.EqualTo(Reserving + CorpusExec.ReturnsString("held 3 GiB, then MemoryError; freed, reserved again: b'# { '")));
        Assert.That(afterRecover, Is.EqualTo("executed with `Return(\"\\x11\")`\n"));
    }

    [Test]
    public async Task Exec_SandboxesSpawningSandboxes_InnermostGetsOomAndTheMemoryComesBack()
    {
        await Exec.RunAsync("fork_bomb.py", "--deploy");

        var bomb = await Exec.ResultAsync("fork_bomb.py", "--method", "bomb");
        var again = await Exec.ResultAsync("fork_bomb.py", "--method", "bomb");

        // python-sdk.md §10.2: a sandbox never raises; the spawn that does not fit the det pool any more (every
        // nested VM keeps its linear memory and archives charged, wasm-abi.md §12) is VMError('OOM'), printed by the
        // innermost VM that still runs (stable/exploits/fork_bomb prints OOM). The nested VMs give their charges back
        // when they end, so a new sandbox of the same transaction runs, and so does the next transaction.
        var expected = "OOM\n" + CorpusExec.ReturnsString("stopped Return(calldata='after')");
        Assert.That(bomb, Is.EqualTo(expected));
        Assert.That(again, Is.EqualTo(expected));
    }
}
