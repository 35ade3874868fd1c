using System.Buffers.Binary;
using System.Text;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;
using GenVm.Core.Supervisor;
using GenVm.Core.Wasi;
using GenVm.Tests.Core.Runners;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Core.Wasi;

/// <summary>
/// What fixes <c>hash(str)</c> in det VMs (issue 6 item 3, python-sdk.md §19.3): CPython fills its 24-byte hash secret
/// with one <c>random_get</c> at start-up, so the string-hash key is the first bytes of the det MT19937 stream
/// (wasm-abi.md §9.3). The shipped interpreter's hashes are recomputed here from those bytes. The algorithm is FNV,
/// not the SipHash-1-3 python-sdk.md §19.3 names: a cross-compiled CPython's configure answers "aligned memory access
/// required" unless told otherwise, and neither upstream's wasi config.site nor the reference's answers (§20.1) say
/// otherwise (docs/decisions.md "Runners: det string hash is CPython's FNV").
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class HashSecretTests
{
    private const string ReferenceCPython = "cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n";

    [Test]
    public void DetPython_StrAndBytesHashes_KeyedByFirstBytesOfMt19937Stream()
    {
        var words = new[] { "genlayer", "a", "abcd", "intelligent contracts", "\u00e9t\u00e9", string.Empty };
        var script = "import sys\nh = sys.hash_info\nprint(h.algorithm, h.width)\n" +
            string.Concat(words.Select(w => $"print(hash('{w}'), hash('{w}'.encode('latin-1')))\n"));
        var (stdout, stderr) = RunDetPython(script);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1 + words.Length), stderr);
        Assert.That(lines[0], Is.EqualTo("fnv 32"), "the string hash of a wasm32 CPython cross-compiled with the reference's configure answers");

        // The secret: the first random_get of the VM, 24 bytes = 6 MT19937 outputs; FNV uses its first two 32-bit words.
        var secret = new byte[24];
        new Mt19937([DetRngSeed.Word0, DetRngSeed.Word1]).Fill(secret);
        var prefix = BinaryPrimitives.ReadUInt32LittleEndian(secret);
        var suffix = BinaryPrimitives.ReadUInt32LittleEndian(secret.AsSpan(4));
        Assert.That(Fnv(0, 0, "genlayer"u8), Is.Not.EqualTo(Fnv(prefix, suffix, "genlayer"u8)), "the key matters");
        for (var i = 0; i < words.Length; i++)
        {
            // A str of code points below 256 hashes its one-byte-per-character form, the same bytes as latin-1.
            var text = System.Text.RegularExpressions.Regex.Unescape(words[i]);
            var expected = Fnv(prefix, suffix, Encoding.Latin1.GetBytes(text));
            Assert.That(lines[i + 1], Is.EqualTo($"{expected} {expected}"), $"hash('{words[i]}') and of its bytes");
        }
    }

    [Test]
    public async Task Exec_ContractView_HashesAsFreshInterpreter()
    {
        // The executor's own path (runner loading, start-up, snapshot restore where used, the SDK import, a view call):
        // the interpreter a contract runs in has the same hash key as a fresh det start. Set iteration order of strings
        // follows from it.
        await using var exec = GenVm.Tests.Examples.CorpusExec.CreateOrIgnore();
        var contract = Path.Combine(exec.Directory, "hashes.py");
        await File.WriteAllTextAsync(contract, """
            # { "Depends": "py-genlayer:test" }
            import sys
            from genlayer import *

            class Hashes(gl.Contract):
                def __init__(self):
                    pass

                @gl.public.view
                def get(self) -> str:
                    return f"{sys.hash_info.algorithm} {hash('genlayer')} {hash(b'intelligent contracts')}"
            """);
        await exec.RunPathAsync(contract, "--deploy");

        var secret = new byte[8];
        new Mt19937([DetRngSeed.Word0, DetRngSeed.Word1]).Fill(secret);
        var prefix = BinaryPrimitives.ReadUInt32LittleEndian(secret);
        var suffix = BinaryPrimitives.ReadUInt32LittleEndian(secret.AsSpan(4));
        var expected = $"fnv {Fnv(prefix, suffix, "genlayer"u8)} {Fnv(prefix, suffix, "intelligent contracts"u8)}";
        Assert.That(await exec.ResultPathAsync(contract, "--method", "get"), Is.EqualTo(GenVm.Tests.Examples.CorpusExec.ReturnsString(expected)));
    }

    // CPython's modified FNV on a 32-bit Py_hash_t (Python/pyhash.c behaviour): 0 for empty input; otherwise start from
    // prefix ^ (first byte << 7), fold whole little-endian words except that at least the last word's worth of bytes is
    // folded byte by byte, multiplier 1000003, then xor the length and the suffix; -1 is reserved (→ -2).
    private static int Fnv(uint prefix, uint suffix, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return 0;
        }

        const uint multiplier = 1000003;
        var remainder = data.Length % 4 == 0 ? 4 : data.Length % 4;
        var blocks = (data.Length - remainder) / 4;
        var x = prefix ^ ((uint)data[0] << 7);
        var at = 0;
        for (var b = 0; b < blocks; b++, at += 4)
        {
            x = unchecked(multiplier * x) ^ BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
        }

        for (; at < data.Length; at++)
        {
            x = unchecked(multiplier * x) ^ data[at];
        }

        x ^= (uint)data.Length;
        x ^= suffix;
        return x == uint.MaxValue ? -2 : (int)x;
    }

    private static string Quote(string text) => "'" + text + "'";

    private static (string Stdout, string Stderr) RunDetPython(string script)
    {
        var dir = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR");
        if (string.IsNullOrEmpty(dir) || !File.Exists(Path.Combine(dir, RunnerManifest.FileName)))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }

        var runnerJson = $$"""{"Seq":[{"SetArgs":["py","-B","-c",{{System.Text.Json.JsonSerializer.Serialize(script)}}]},{"Depends":"{{ReferenceCPython}}"}]}""";
        var loaded = new RunnerLoader(RunnerRegistry.Open(dir!, new RunnerArchiveCache())).Load(
            new RunnerLoadRequest { Contract = ContractArchive.FromCode(TestZip.Of(("runner.json", runnerJson))), Deterministic = true, TransactionUnixSeconds = 1767225600 },
            CancellationToken.None);
        Assert.That(loaded.Environment.Select(p => p.Key), Has.None.EqualTo("PYTHONHASHSEED"), "an explicit seed would bypass random_get");

        var engine = new Engine(VmRunner.DeterministicConfig()
            .WithFloatPolicy(loaded.SoftFloat ? FloatPolicy.SoftFloat : FloatPolicy.Trap)
            .WithCacheDirectory(Path.Combine(TestCache.Root, "wasm-cache-tests")));
        using var store = new Store(engine);
        var module = Module.FromBytes(engine, loaded.Start.Bytes.Span);
        var linker = new Linker(engine);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var wasi = new DetWasiHost(new DetWasiOptions
        {
            Args = loaded.Args,
            Environment = loaded.Environment,
            FileSystem = loaded.FileSystem,
            Stdout = stdout,
            Stderr = stderr,
        });
        wasi.Define(linker);
        foreach (var import in module.Imports.Where(i => i.ModuleName != "wasi_snapshot_preview1" && i.Kind == ExternKind.Func))
        {
            linker.DefineFunction(import.ModuleName, import.Name, (FuncType)import.Type, (_, _, _) => throw new InvalidOperationException($"unexpected call to {import.ModuleName}.{import.Name}"));
        }

        try
        {
            var instance = linker.Instantiate(store, module);
            if (loaded.Reactor)
            {
                // Our cpython runner's module is a reactor (docs/decisions.md "Python snapshots").
                ReactorStartup.Initialize(instance, wasi, new DetStartupGuard(loaded.FileSystem.Root), loaded.FileSystem);
                instance.GetFunction(ReactorStartup.RunExport)!.Invoke();
            }
            else
            {
                instance.GetFunction("_start")!.Invoke();
            }
        }
        catch (WasiExitException e) when (e.ExitCode == 0)
        {
            // A normal exit.
        }

        return (Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }
}
