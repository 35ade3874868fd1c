using System.Formats.Tar;
using GenVm.Host.Verbs;
using GenVm.Tests.Wasm;
using GenVm.Wasm;

namespace GenVm.Tests.Host.Verbs;

/// <summary><c>genvm wasm precompile</c> / <c>genvm precompile</c>: filling the compile cache from files and runner tars.</summary>
[TestFixture]
public sealed class PrecompilerTests
{
    private const string Wat = """
        (module (func (export "answer") (param i32) (result i32) (i32.add (local.get 0) (i32.const 42))))
        """;

    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Path.Combine(Path.GetTempPath(), "genvm-precompile-tests-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public void Run_WasmFilesAndTarMembers_FillsCacheSoLoadsHit()
    {
        var runners = Path.Combine(_root, "runners");
        Directory.CreateDirectory(Path.Combine(runners, "py", "ab"));
        var plain = UniqueWasm();
        var member = UniqueWasm();
        File.WriteAllBytes(Path.Combine(runners, "plain.wasm"), plain);
        File.WriteAllText(Path.Combine(runners, "notes.wasm"), "not wasm");
        WriteTar(Path.Combine(runners, "py", "ab", "cdef.tar"), ("lib/mod.so", member), ("runner.json", "{}"u8.ToArray()), ("fake.wasm", "text"u8.ToArray()));
        var cache = Path.Combine(_root, "cache");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = new Precompiler(output, error) { CacheDirectory = cache, IlOnly = true }.Run([runners]);

        Assert.That(code, Is.EqualTo(0), error.ToString());
        Assert.That(output.ToString(), Does.Contain("2 module(s), 0 failure(s)"));
        Assert.That(output.ToString(), Does.Contain("cdef.tar:lib/mod.so: il"));
        var engine = new Engine(new EngineConfig().WithCacheDirectory(cache));
        Assert.That(Module.FromBytes(engine, plain).IsFromCache, Is.True);
        Assert.That(Module.FromBytes(engine, member).IsFromCache, Is.True);
    }

    [Test]
    public void Run_InfoOnly_WritesNothing()
    {
        var file = Path.Combine(_root, "m.wasm");
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(file, UniqueWasm());
        var cache = Path.Combine(_root, "cache");
        var output = new StringWriter();

        var code = new Precompiler(output, TextWriter.Null) { CacheDirectory = cache, InfoOnly = true, IlOnly = true }.Run([file]);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output.ToString(), Does.Contain("would precompile " + file));
        Assert.That(Directory.Exists(cache), Is.False);
    }

    [Test]
    public void Run_InvalidModule_ReportsFailure()
    {
        var file = Path.Combine(_root, "bad.wasm");
        Directory.CreateDirectory(_root);
        File.WriteAllBytes(file, [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05]);
        var error = new StringWriter();

        var code = new Precompiler(TextWriter.Null, error) { CacheDirectory = Path.Combine(_root, "cache"), IlOnly = true }.Run([file]);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("bad.wasm"));
    }

    [Test]
    public void Run_NoCacheDirectory_Fails()
    {
        var error = new StringWriter();
        var code = new Precompiler(TextWriter.Null, error) { CacheDirectory = null }.Run([_root]);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain(CompileCacheDirectory.Variable));
    }

    [Test]
    public void Precompile_WithCrossgen2_LoadsNativeImageWithSameResults()
    {
        var crossgen2 = Crossgen2Locator.Find();
        if (crossgen2 is null)
        {
            Assert.Ignore("crossgen2 is not in the NuGet cache (restore GenVm.Host: it is a PackageDownload)");
        }

        var wasm = UniqueWasm();
        var engine = new Engine(new EngineConfig().WithCacheDirectory(Path.Combine(_root, "cache")));
        Assert.That(Module.Precompile(engine, wasm, crossgen2), Is.True);
        Assert.That(Directory.GetFiles(Path.Combine(_root, "cache"), "*.r2r.dll"), Has.Length.EqualTo(1));
        Assert.That(Directory.GetFiles(Path.Combine(_root, "cache"), "*.il.dll"), Is.Empty);

        var module = Module.FromBytes(engine, wasm);
        Assert.That(module.IsFromCache, Is.True);
        using var store = new Store(engine);
        var instance = new Linker(engine).Instantiate(store, module);
        Assert.That(instance.GetFunction("answer")!.Invoke(Value.FromI32(8))[0].I32, Is.EqualTo(50));
    }

    private static byte[] UniqueWasm()
    {
        var name = System.Text.Encoding.ASCII.GetBytes("t" + Guid.NewGuid().ToString("N"));
        return [.. WatCompiler.Compile(Wat), 0x00, (byte)(name.Length + 1), (byte)name.Length, .. name];
    }

    private static void WriteTar(string path, params (string Name, byte[] Bytes)[] members)
    {
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Ustar);
        foreach (var (name, bytes) in members)
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
        }
    }
}
