using GenVm.Tests.Wasm;
using GenVm.Wasm.Snapshots;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// <c>genvm wasm run --snapshot-init INIT --snapshot-run RUN</c>: the first run starts up and writes a snapshot file,
/// later runs restore it instead of starting up (a file the start-up read and that changed since is not read again);
/// other arguments get another file; a damaged file is rebuilt; a start-up drawing randomness is refused.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WasmSnapshotStartTests
{
    // init reads data.txt from the preopened folder into memory; run prints what init read.
    private const string Reactor = """
        (module
          (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 100) "data.txt")
          (func (export "init") (result i32)
            (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200))
              (then (return (i32.const 7))))
            (i32.store (i32.const 300) (i32.const 1000))
            (i32.store (i32.const 304) (i32.const 64))
            (drop (call $fd_read (i32.load (i32.const 200)) (i32.const 300) (i32.const 1) (i32.const 208)))
            (drop (call $fd_close (i32.load (i32.const 200))))
            (i32.const 0))
          (func (export "init_random") (result i32) (call $random_get (i32.const 400) (i32.const 8)))
          (func (export "run")
            (i32.store (i32.const 300) (i32.const 1000))
            (i32.store (i32.const 304) (i32.load (i32.const 208)))
            (drop (call $fd_write (i32.const 1) (i32.const 300) (i32.const 1) (i32.const 212)))))
        """;

    private string _dir = null!;
    private string _data = null!;
    private string _snapshots = null!;
    private string _wasm = null!;
    private string? _saved;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("genvm-wasmsnap-").FullName;
        _data = Path.Combine(_dir, "data");
        _snapshots = Path.Combine(_dir, "snapshots");
        Directory.CreateDirectory(_data);
        File.WriteAllText(Path.Combine(_data, "data.txt"), "first");
        _wasm = Path.Combine(_dir, "reactor.wasm");
        File.WriteAllBytes(_wasm, WatCompiler.Compile(Reactor));
        _saved = Environment.GetEnvironmentVariable(GenVm.Host.Verbs.SnapshotCacheDirectory.Variable);
        Environment.SetEnvironmentVariable(GenVm.Host.Verbs.SnapshotCacheDirectory.Variable, _snapshots);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(GenVm.Host.Verbs.SnapshotCacheDirectory.Variable, _saved);
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task RunAsync_SecondProcess_RestoresTheStoredStartUp()
    {
        var first = await Run("init", "a");
        File.WriteAllText(Path.Combine(_data, "data.txt"), "second");
        var second = await Run("init", "a");

        Assert.That(first, Is.EqualTo((0, "first", string.Empty)));
        Assert.That(second, Is.EqualTo((0, "first", string.Empty)), "the start-up was not run again: it read the file before the change");
        Assert.That(Directory.GetFiles(_snapshots, "*.gvms"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task RunAsync_OtherArguments_OtherSnapshotFile()
    {
        await Run("init", "a");
        File.WriteAllText(Path.Combine(_data, "data.txt"), "second");

        Assert.That(await Run("init", "b"), Is.EqualTo((0, "second", string.Empty)));
        Assert.That(Directory.GetFiles(_snapshots, "*.gvms"), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task RunAsync_DamagedSnapshotFile_RebuiltFromAFreshStartUp()
    {
        await Run("init", "a");
        var file = Directory.GetFiles(_snapshots, "*.gvms").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        File.WriteAllText(Path.Combine(_data, "data.txt"), "second");

        Assert.That(await Run("init", "a"), Is.EqualTo((0, "second", string.Empty)));
        Assert.That(await Run("init", "a"), Is.EqualTo((0, "second", string.Empty)));
    }

    [Test]
    public async Task RunAsync_StartUpDrawsRandomness_RefusedWithoutFile()
    {
        var (code, stdout, stderr) = await Run("init_random", "a");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("random_get"));
        Assert.That(Directory.Exists(_snapshots) ? Directory.GetFiles(_snapshots) : [], Is.Empty);
    }

    [Test]
    public async Task RunAsync_SnapshotRunWithoutInit_BadUsage()
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", "--snapshot-run", "run", _wasm);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--snapshot-run needs --snapshot-init"));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(string init, string arg) =>
        WasmVerbHarness.RunAsync("run", "--snapshot-init", init, "--snapshot-run", "run", "--dir-ro", $"{_data}::/d", _wasm, arg);
}
