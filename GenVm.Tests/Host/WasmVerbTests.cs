using GenVm.Host.Verbs;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class WasmVerbTests
{
    private const string Hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hello\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 6))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
          (func (export "exit3") (call $proc_exit (i32.const 3)))
          (func (export "boom") (call $inner))
          (func $inner unreachable)
          (func (export "add") (param i32 i64) (result i64) (i64.add (i64.extend_i32_s (local.get 0)) (local.get 1))))
        """;

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("genvm-wasmverb-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase]
    [TestCase("build")]
    [TestCase("run")]
    [TestCase("run", "--env", "NOEQUALS", "x.wasm")]
    [TestCase("run", "--bogus", "1", "x.wasm")]
    [TestCase("run", "--dir")]
    public async Task RunAsync_BadUsage_ReturnsTwo(params string[] args)
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("usage: genvm wasm run"));
    }

    [Test]
    public async Task RunAsync_MissingFile_ReturnsOne()
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", Path.Combine(_dir, "missing.wasm"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("Error:"));
    }

    [Test]
    public async Task RunAsync_MissingPreopenDirectory_ReturnsOne()
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", "--dir", Path.Combine(_dir, "nope"), Path.Combine(_dir, "x.wasm"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("preopened directory not found"));
    }

    [Test]
    public async Task RunAsync_NotAModule_ReturnsOne()
    {
        var file = Path.Combine(_dir, "bad.wasm");
        await File.WriteAllBytesAsync(file, [1, 2, 3, 4]);
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", file);
        Assert.That(code, Is.EqualTo(1), stderr);
    }

    [Test]
    public async Task RunAsync_StartWritesStdout_ReturnsZero()
    {
        var (code, stdout, stderr) = await WasmVerbHarness.RunAsync("run", WriteModule());
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("hello\n"));
    }

    [Test]
    public async Task RunAsync_ProcExit_ReturnsItsCode()
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", "--invoke", "exit3", WriteModule());
        Assert.That(code, Is.EqualTo(3), stderr);
    }

    [Test]
    public async Task RunAsync_Trap_Returns134AndPrintsTrap()
    {
        var (code, _, stderr) = await WasmVerbHarness.RunAsync("run", "--invoke", "boom", WriteModule());
        Assert.That(code, Is.EqualTo(WasmVerb.TrapExitCode));
        Assert.That(stderr, Does.Contain("wasm trap: unreachable"));
    }

    [Test]
    public async Task RunAsync_InvokeWithArguments_PrintsResult()
    {
        var (code, stdout, stderr) = await WasmVerbHarness.RunAsync("run", "--invoke", "add", WriteModule(), "-2", "40");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("38\n"));
    }

    private string WriteModule()
    {
        var file = Path.Combine(_dir, "hello.wasm");
        File.WriteAllBytes(file, WatCompiler.Compile(Hello));
        return file;
    }
}
