using GenVm.Core.Supervisor;
using GenVm.Core.Wasi;
using GenVm.Tests.Wasm;
using GenVm.Wasm;
using NUnit.Framework;

namespace GenVm.Tests.Core.Wasi;

/// <summary>
/// What <see cref="DetStartupGuard"/> accepts of a reactor start-up's <c>random_get</c> calls (docs/decisions.md
/// "Non-det snapshots"): in a det VM every draw is counted (the restore skips it in the MT19937 stream); in a non-det
/// VM exactly one 24-byte draw during the interpreter boot (<c>genvm_init</c>, CPython's str-hash secret) is allowed,
/// anything else taints. A WAT reactor stands in for CPython.
/// </summary>
[TestFixture]
public sealed class DetStartupGuardTests
{
    private static DetStartupGuard Start(bool deterministic, int[] bootDraws, int[]? initializeDraws = null, int[]? importDraws = null)
    {
        static string Draws(int[] sizes) => string.Concat(sizes.Select(n => $"(drop (call $random (i32.const 64) (i32.const {n})))\n"));
        var wat = $$"""
            (module
              (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_initialize") {{Draws(initializeDraws ?? [])}})
              (func (export "genvm_init") (result i32) {{Draws(bootDraws)}} (i32.const 0))
              (func (export "genvm_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "genvm_import") (param i32) (result i32) {{Draws(importDraws ?? [])}} (i32.const 0))
              (func (export "genvm_run")))
            """;
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        var fileSystem = new VirtualFileSystem();
        fileSystem.MapFile(ReactorStartup.PreimportPath, "json\n"u8.ToArray());
        var wasi = new DetWasiHost(new DetWasiOptions { Deterministic = deterministic, FileSystem = fileSystem });
        wasi.Define(linker);
        var instance = linker.Instantiate(store, WatCompiler.Load(engine, wat));
        var guard = new DetStartupGuard(fileSystem.Root);
        ReactorStartup.Initialize(instance, wasi, guard, fileSystem);
        Assert.That(guard.InInterpreterBoot, Is.False, "cleared after the start-up");
        return guard;
    }

    [Test]
    public void Intercept_NondetOneHashSecretDrawInBoot_DrawnWithoutTaint()
    {
        var guard = Start(deterministic: false, [DetStartupGuard.HashSecretBytes]);

        Assert.That(guard.HashSecretDrawn, Is.True);
        Assert.That(guard.Taints, Is.Empty);
        Assert.That(guard.RandomWords, Is.Zero);
    }

    [Test]
    public void Intercept_NondetSecondDraw_Taints()
    {
        var guard = Start(deterministic: false, [DetStartupGuard.HashSecretBytes, DetStartupGuard.HashSecretBytes]);

        Assert.That(guard.Taints, Is.EqualTo(new[] { "random_get in a non-det VM" }));
    }

    [Test]
    public void Intercept_NondetDrawOfAnotherSize_Taints()
    {
        var guard = Start(deterministic: false, [2496]);

        Assert.That(guard.HashSecretDrawn, Is.False);
        Assert.That(guard.Taints, Is.EqualTo(new[] { "random_get in a non-det VM" }));
    }

    [Test]
    public void Intercept_NondetDrawInPreimports_Taints()
    {
        // An imported module seeding itself (random.Random()) would freeze per-execution randomness.
        var guard = Start(deterministic: false, [DetStartupGuard.HashSecretBytes], importDraws: [DetStartupGuard.HashSecretBytes]);

        Assert.That(guard.HashSecretDrawn, Is.True);
        Assert.That(guard.Taints, Is.EqualTo(new[] { "random_get in a non-det VM" }));
    }

    [Test]
    public void Intercept_NondetDrawInInitialize_CountsAsBoot()
    {
        // _initialize runs wasi-libc's constructors, part of the interpreter's boot; only one draw in all.
        var guard = Start(deterministic: false, [], initializeDraws: [DetStartupGuard.HashSecretBytes]);

        Assert.That(guard.HashSecretDrawn, Is.True);
        Assert.That(guard.Taints, Is.Empty);
    }

    [Test]
    public void Intercept_DetDraws_CountedAsMt19937Words()
    {
        var guard = Start(deterministic: true, [DetStartupGuard.HashSecretBytes, 5]);

        Assert.That(guard.HashSecretDrawn, Is.False);
        Assert.That(guard.Taints, Is.Empty);
        Assert.That(guard.RandomWords, Is.EqualTo(6 + 2));
    }
}
