using GenVm.Core.Supervisor;
using GenVm.Tests.Wasm;
using GenVm.Wasm;
using GenVm.Wasm.Runtime;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// The engine facts the error fingerprint is built from (host-protocol.md §7.4): the wasm frames at a trap, innermost
/// first, as function index and module name, and the BLAKE3-256 of every instance's whole linear memory.
/// </summary>
[TestFixture]
public sealed class FingerprintsTests
{
    private const string Lib = """
        (module $lib
          (memory (export "mem") 1)
          (data (i32.const 100) "lib-data")
          (func $pad (result i32) (i32.const 0))
          (func (export "boom") (param i32) (result i32)
            (i32.store8 (i32.const 65535) (i32.const 0xAB))
            (i32.div_u (i32.const 1) (local.get 0))))
        """;

    private const string Main = """
        (module $main
          (import "lib" "boom" (func $boom (param i32) (result i32)))
          (memory 2)
          (data (i32.const 70000) "main")
          (func $middle (param i32) (result i32) (call $boom (local.get 0)))
          (func (export "run") (result i32) (call $middle (i32.const 0))))
        """;

    private const string NoMemory = "(module $plain (func (export \"f\")))";

    [Test]
    public void Capture_TrapInImportedFunction_FramesInnermostFirstAndWholeMemoryHashes()
    {
        using var store = new Store(new Engine());
        var linker = new Linker(store.Engine);
        var lib = WatCompiler.Instantiate(store, Lib);
        linker.DefineInstance("lib", lib);
        var plain = WatCompiler.Instantiate(store, NoMemory);
        var main = WatCompiler.Instantiate(store, Main, linker);
        var trap = Assert.Throws<WasmTrapException>(() => main.GetFunction("run")!.Invoke())!;

        var fingerprint = Fingerprints.Capture(trap.Frames, [lib, plain, main]);

        // lib's boom is function 1 of lib; main's functions: 0 = the import, 1 = $middle, 2 = run.
        Assert.That(
            fingerprint.Frames.Select(f => (f.FunctionIndex, f.ModuleName)),
            Is.EqualTo(new[] { (1u, "lib"), (1u, "main"), (2u, "main") }));

        var libMemory = new byte[65536];
        "lib-data"u8.CopyTo(libMemory.AsSpan(100));
        libMemory[65535] = 0xAB; // written just before the trap: the hash sees the state at the failure
        var mainMemory = new byte[2 * 65536];
        "main"u8.CopyTo(mainMemory.AsSpan(70000));
        Assert.That(fingerprint.ModuleInstances.Keys, Is.EqualTo(new[] { "lib", "main", "plain" }));
        Assert.That(fingerprint.ModuleInstances["lib"].Select(Convert.ToHexStringLower), Is.EqualTo(new[] { Blake3Hex(libMemory) }));
        Assert.That(fingerprint.ModuleInstances["main"].Select(Convert.ToHexStringLower), Is.EqualTo(new[] { Blake3Hex(mainMemory) }));
        Assert.That(fingerprint.ModuleInstances["plain"], Is.Empty, "an instance without memory has no hashes");
    }

    [Test]
    public void Capture_DifferentMemoryContents_DifferentHashes()
    {
        using var store = new Store(new Engine());
        var instance = WatCompiler.Instantiate(store, Lib);
        var before = Fingerprints.Capture([], [instance]).ModuleInstances["lib"][0];
        instance.GetMemory("mem")!.GetSpan(65535, 1)[0] = 1;
        var after = Fingerprints.Capture([], [instance]).ModuleInstances["lib"][0];
        Assert.That(after, Is.Not.EqualTo(before), "the last byte of the memory is hashed too");
    }

    private static string Blake3Hex(byte[] data)
    {
        var output = new byte[Blake3.HashLength];
        Blake3.Hash(data, output);
        return Convert.ToHexStringLower(output);
    }
}
