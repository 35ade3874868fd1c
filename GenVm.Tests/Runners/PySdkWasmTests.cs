using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using GenVm.Core.Calldata;

namespace GenVm.Tests.Runners;

/// <summary>
/// The SDK inside the real interpreter: <c>python-genlayer.wasm</c> (CPython 3.13 for wasm32-wasi with the builtin
/// <c>_genlayer_wasi</c>, built by <c>runners/build-python.sh</c>) runs <c>_genlayer_runner.py</c> and a counter contract
/// with a <c>TreeMap</c> under node, whose <c>run-node.mjs --genlayer-state</c> provides the five <c>genlayer_sdk</c>
/// imports from an in-memory store. Storage bytes are compared with the layout python-sdk.md §17 specifies.
/// Needs <c>GENVM_PYTHON_RUNNER_DIR</c> (CI sets it) and node.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class PySdkWasmTests
{
    private const string Contract = """
        # { "Depends": "py-genlayer:test" }
        from genlayer import *


        class Counter(gl.Contract):
            total: u64
            per_user: TreeMap[str, u32]

            def __init__(self, start: int):
                self.total = start

            @gl.public.write
            def add(self, user: str, n: int) -> int:
                self.per_user[user] = self.per_user.get(user, 0) + n
                self.total += n
                return self.total

            @gl.public.view
            def fail(self) -> None:
                raise gl.vm.UserError('no luck')
        """;

    private static readonly byte[] RootSlot = new byte[32];

    [Test]
    public async Task CounterContract_DeployAndAdds_StorageMatchesSpecLayout()
    {
        var runnerDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(runnerDir) || !File.Exists(Path.Combine(runnerDir, "python-genlayer.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR with python-genlayer.wasm is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var work = Directory.CreateTempSubdirectory("genvm-pysdk-wasm-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(work.FullName, "contract.py"), Contract);
            var state = Path.Combine(work.FullName, "state.json");
            await File.WriteAllTextAsync(state, "{}");

            var deploy = await RunAsync(runnerDir!, work.FullName, state, Message(isInit: true, ("args", CalldataValue.FromArray(5))));
            Assert.That(deploy.Outcome, Is.EqualTo("0e0652657475726e00"), "Return(null) after __init__");

            var total = 5;
            foreach (var (user, n) in new[] { ("bob", 3), ("alice", 2), ("carol", 1) })
            {
                var added = await RunAsync(runnerDir!, work.FullName, state, Message(false, ("method", "add"), ("args", CalldataValue.FromArray(user, n))));
                total += n;
                var expected = CalldataCodec.Encode(CalldataValue.FromMap(("Return", (CalldataValue)total)));
                Assert.That(added.Outcome, Is.EqualTo(Convert.ToHexStringLower(expected)));
            }

            var failed = await RunAsync(runnerDir!, work.FullName, state, Message(false, ("method", "fail")));
            Assert.That(failed.Outcome, Is.EqualTo(Convert.ToHexStringLower(
                CalldataCodec.Encode(CalldataValue.FromMap(("Rollback", (CalldataValue)"no luck"))))));

            // python-sdk.md §17.10: fields at child(0^32, 0); total u64 @0, TreeMap root @8, nodes @12, free @16
            // (the free list's length was never written, so the slot ends after the nodes' length).
            var instance = Child(RootSlot, 0);
            var storage = failed.Storage;
            Assert.That(storage[Hex(instance)], Is.EqualTo("0b00000000000000" + "01000000" + "03000000"));
            // §17.9 nodes: key str (4), value u32 (4), left, right, balance; bob is the root with alice left, carol right.
            var nodes = Child(instance, 12);
            Assert.That(storage[Hex(nodes)], Is.EqualTo(
                "03000000" + "03000000" + "02000000" + "03000000" + "00" +
                "05000000" + "02000000" + "00000000" + "00000000" + "00" +
                "05000000" + "01000000" + "00000000" + "00000000" + "00"));
            Assert.That(storage[Hex(Child(nodes, 0))], Is.EqualTo(Convert.ToHexStringLower("bob"u8)));
            Assert.That(storage[Hex(Child(nodes, 17))], Is.EqualTo(Convert.ToHexStringLower("alice"u8)));
            Assert.That(storage[Hex(Child(nodes, 34))], Is.EqualTo(Convert.ToHexStringLower("carol"u8)));
            // §17.10: deployment appended the four default locked slot ids (u32 count + 4 × 32 bytes).
            Assert.That(storage[Hex(Child(RootSlot, 2))], Does.StartWith("04000000" + Hex(RootSlot) + Hex(Child(RootSlot, 1))));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static byte[] Child(byte[] slot, uint offset)
    {
        // python-sdk.md §17.1: child(slot, off) = SHA3-256(slot ‖ u32le(off)).
        var input = new byte[36];
        slot.CopyTo(input, 0);
        BitConverter.TryWriteBytes(input.AsSpan(32), offset);
        return SHA3_256.HashData(input);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] Message(bool isInit, params (string Key, CalldataValue Value)[] entry)
    {
        var contract = new byte[20];
        contract[0] = 1;
        var sender = new byte[20];
        sender[0] = 2;
        return CalldataCodec.Encode(CalldataValue.FromMap(
            ("chain_id", 0),
            ("contract_address", new Address(contract)),
            ("datetime", "2024-11-26T06:42:42.424242Z"),
            ("entry_data", CalldataCodec.Encode(CalldataValue.FromMap(entry))),
            ("entry_kind", 0),
            ("entry_stage_data", CalldataValue.Null),
            ("is_init", isInit),
            ("origin_address", new Address(sender)),
            ("sender_address", new Address(sender)),
            ("stack", CalldataValue.FromArray()),
            ("value", 0)));
    }

    private sealed record Run(string? Outcome, Dictionary<string, string> Storage);

    private static async Task<Run> RunAsync(string runnerDir, string contractDir, string state, byte[] message)
    {
        var runners = Path.Combine(RepositoryRoot.Path, "runners");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(runners, "run-node.mjs"), "--genlayer-state", state,
            "--dir", $"/py/std={Path.Combine(runnerDir, "lib", "python3.13")}",
            "--dir", $"/py/libs={Path.Combine(runners, "py-genlayer-std")}",
            "--dir", $"/={contractDir}",
            "--env", "PYTHONHOME=/py/std", "--env", "PYTHONPATH=/py/std:/py/libs",
            Path.Combine(runnerDir, "python-genlayer.wasm"), "-u", "-B", "/py/libs/_genlayer_runner.py",
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.That(process.ExitCode, Is.EqualTo(0), await stdout + await stderr);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(state));
        var storage = json.RootElement.GetProperty("storage").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        var outcome = json.RootElement.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        return new Run(outcome, storage);
    }
}
