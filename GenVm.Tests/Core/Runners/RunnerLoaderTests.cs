using System.Text;
using GenVm.Core.Runners;
using GenVm.Core.Wasi;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class RunnerLoaderTests
{
    private const long Time = 1767225600;

    private static RunnerLoadResult Load(TestRunnerStore store, RunnerArchive contract, bool deterministic = true, Func<long, bool>? charge = null, CancellationToken token = default, bool debug = false) =>
        store.Loader().Load(new RunnerLoadRequest
        {
            Contract = contract,
            ContractKey = "on_chain:0x01",
            Deterministic = deterministic,
            TransactionUnixSeconds = Time,
            Charge = charge,
            DebugMode = debug,
        }, token);

    private static RunnerLoadException Fails(TestRunnerStore store, RunnerArchive contract, bool deterministic = true, Func<long, bool>? charge = null, CancellationToken token = default) =>
        Assert.Throws<RunnerLoadException>(() => Load(store, contract, deterministic, charge, token))!;

    private static RunnerArchive Zip(string runnerJson, params (string Name, string Text)[] members) =>
        ContractArchive.FromCode(TestZip.Of([.. members, ("runner.json", runnerJson)]));

    private static string? FileText(VirtualFileSystem fs, string path) =>
        VirtualFileSystem.Resolve(fs.Root, path, out var node) == GenVm.Core.Protocol.WasiErrno.Success && node is VirtualFile file
            ? Encoding.UTF8.GetString(file.Contents.Span)
            : null;

    [Test]
    public void Load_RawWasm_StartsFileWithEmptyWorld()
    {
        using var store = new TestRunnerStore();
        var wasm = TestWasm.Module();
        var result = Load(store, ContractArchive.FromCode(wasm));
        Assert.That(result.Start.Bytes.ToArray(), Is.EqualTo(wasm));
        Assert.That(result.Start.CacheKey, Is.EqualTo("on_chain:0x01:file"));
        Assert.That(result.Linked, Is.Empty);
        Assert.That(result.Args, Is.Empty);
        Assert.That(result.Environment, Is.Empty);
        Assert.That(result.FileSystem.Root.Children, Is.Empty);
        Assert.That(result.SoftFloat, Is.False);
        Assert.That(result.ChargedBytes, Is.EqualTo(wasm.Length));
    }

    [Test]
    public void Load_MapFileSingleDirectoryAndRoot_DestinationsAndCharges()
    {
        using var store = new TestRunnerStore();
        var contract = Zip(
            """{"Seq":[{"MapFile":{"file":"a.txt","to":"/one/a"}},{"MapFile":{"file":"lib/","to":"/l"}},{"MapFile":{"file":"/","to":"/all/"}},{"StartWasm":"m.wasm"}]}""",
            ("a.txt", "A"), ("lib/x.py", "X"), ("lib/sub/y.py", "Y"), ("libz", "Z"), ("m.wasm", "M"));
        long charged = 0;
        var result = Load(store, contract, charge: n => { charged += n; return true; });
        Assert.That(FileText(result.FileSystem, "one/a"), Is.EqualTo("A"));
        Assert.That(FileText(result.FileSystem, "l/x.py"), Is.EqualTo("X"));
        Assert.That(FileText(result.FileSystem, "l/sub/y.py"), Is.EqualTo("Y"));
        Assert.That(FileText(result.FileSystem, "l/z"), Is.Null, "libz does not start with lib/");
        Assert.That(FileText(result.FileSystem, "all/libz"), Is.EqualTo("Z"));
        Assert.That(FileText(result.FileSystem, "all/runner.json"), Does.Contain("StartWasm"));
        // archive + 256 + len(destination) for each mapped file (wasm-abi.md §12).
        string[] destinations = ["/one/a", "/l/sub/y.py", "/l/x.py", "/all/a.txt", "/all/lib/sub/y.py", "/all/lib/x.py", "/all/libz", "/all/m.wasm", "/all/runner.json"];
        var expected = contract.TotalSize + destinations.Sum(d => 256 + d.Length);
        Assert.That(charged, Is.EqualTo(expected));
        Assert.That(result.ChargedBytes, Is.EqualTo(expected));
    }

    [Test]
    public void Load_MapFileDirectorySkipsZipDirectoryEntries()
    {
        using var store = new TestRunnerStore();
        var contract = ContractArchive.FromCode(TestZip.Build([
            new("contract/", []), new("contract/__init__.py", "x"u8.ToArray()),
            new("runner.json", """{"Seq":[{"MapFile":{"file":"contract/","to":"/contract/"}},{"StartWasm":"contract/__init__.py"}]}"""u8.ToArray())]));
        var result = Load(store, contract);
        var dir = (VirtualDirectory)result.FileSystem.Root.Children["contract"];
        Assert.That(dir.Children.Keys, Is.EqualTo(new[] { "__init__.py" }));
    }

    [TestCase("""{"Seq":[{"MapFile":{"file":"a","to":"/x"}},{"MapFile":{"file":"b","to":"/x"}},{"StartWasm":"a"}]}""", "already mapped")]
    [TestCase("""{"Seq":[{"MapFile":{"file":"a","to":"/x"}},{"MapFile":{"file":"b","to":"//x/"}},{"StartWasm":"a"}]}""", "already mapped")]
    [TestCase("""{"Seq":[{"MapFile":{"file":"a","to":"/x"}},{"MapFile":{"file":"b","to":"/x/y"}},{"StartWasm":"a"}]}""", "below a mapped file")]
    [TestCase("""{"Seq":[{"MapFile":{"file":"a","to":"/x/y"}},{"MapFile":{"file":"b","to":"/x"}},{"StartWasm":"a"}]}""", "already mapped")]
    [TestCase("""{"Seq":[{"MapFile":{"file":"missing","to":"/x"}},{"StartWasm":"a"}]}""", "no member missing")]
    [TestCase("""{"Seq":[{"MapFile":{"file":"a","to":"/"}},{"StartWasm":"a"}]}""", "cannot map")]
    [TestCase("""{"Seq":[{"AddEnv":{"name":"A","val":"${NOPE}"}},{"StartWasm":"a"}]}""", "unknown variable `NOPE`")]
    [TestCase("""{"StartWasm":"missing.wasm"}""", "no member missing.wasm")]
    [TestCase("""{"LinkWasm":"missing.wasm"}""", "no member missing.wasm")]
    [TestCase("""{"Depends":"nope:abc"}""", "runner nope:abc not found")]
    [TestCase("""{"Depends":"bad id"}""", "invalid runner id")]
    [TestCase("""{"With":{"runner":"nope:abc","action":{"StartWasm":"a"}}}""", "runner nope:abc not found")]
    public void Load_ActionErrors_InvalidContract(string runnerJson, string detail)
    {
        using var store = new TestRunnerStore();
        var e = Fails(store, Zip(runnerJson, ("a", "A"), ("b", "B")));
        Assert.That(e.VmError, Is.EqualTo("invalid_contract"));
        Assert.That(e.IsInternalError, Is.False);
        Assert.That(e.Message, Does.Contain(detail));
    }

    [Test]
    public void Load_LinkWasmWithoutName_InvalidContractWasm()
    {
        using var store = new TestRunnerStore();
        var contract = ContractArchive.FromCode(TestZip.Build([
            new("l.wasm", TestWasm.Module()), new("runner.json", """{"Seq":[{"LinkWasm":"l.wasm"},{"StartWasm":"l.wasm"}]}"""u8.ToArray())]));
        Assert.That(Fails(store, contract).VmError, Is.EqualTo("invalid_contract wasm"));
    }

    [Test]
    public void Load_NoStartWasm_InternalError()
    {
        using var store = new TestRunnerStore();
        var e = Fails(store, Zip("""{"Seq":[{"SetArgs":["a"]}]}"""));
        Assert.That(e.IsInternalError, Is.True);
    }

    [Test]
    public void Load_AddEnvSubstitutionAndOverwrite_SortedAtStart()
    {
        using var store = new TestRunnerStore();
        var contract = Zip("""
            {"Seq":[
              {"AddEnv":{"name":"b","val":"1"}},
              {"AddEnv":{"name":"a","val":"x${b}y${ENV[HOME]}z${b}"}},
              {"AddEnv":{"name":"b","val":"2:${b}"}},
              {"AddEnv":{"name":"B","val":"${}"}},
              {"StartWasm":"m"},
              {"AddEnv":{"name":"late","val":"never"}}
            ]}
            """, ("m", "M"));
        var e = Assert.Throws<RunnerLoadException>(() => Load(store, contract));
        Assert.That(e!.Message, Does.Contain("unknown variable ``"));

        var ok = Zip("""
            {"Seq":[
              {"AddEnv":{"name":"b","val":"1"}},
              {"AddEnv":{"name":"a","val":"x${b}y${ENV[HOME]}z$b${b"}},
              {"AddEnv":{"name":"b","val":"2:${b}"}},
              {"AddEnv":{"name":"B","val":"${a}"}},
              {"StartWasm":"m"},
              {"AddEnv":{"name":"late","val":"never"}}
            ]}
            """, ("m", "M"));
        var result = Load(store, ok);
        Assert.That(result.Environment, Is.EqualTo(new KeyValuePair<string, string>[]
        {
            new("B", "x1yz$b${b"),
            new("a", "x1yz$b${b"),
            new("b", "2:1"),
        }));
    }

    [Test]
    public void Load_SetArgs_AppendsInOrder()
    {
        using var store = new TestRunnerStore();
        var result = Load(store, Zip("""{"Seq":[{"SetArgs":["py","-u"]},{"SetArgs":[]},{"SetArgs":["x"]},{"StartWasm":"m"}]}""", ("m", "M")));
        Assert.That(result.Args, Is.EqualTo(new[] { "py", "-u", "x" }));
    }

    [Test]
    public void Load_SeqStopsAfterStartWasm_LaterErrorsNotReached()
    {
        using var store = new TestRunnerStore();
        var result = Load(store, Zip("""{"Seq":[{"Seq":[{"StartWasm":"m"},{"MapFile":{"file":"missing","to":"/x"}}]},{"Depends":"nope:x"}]}""", ("m", "M")));
        Assert.That(result.Start.Path, Is.EqualTo("m"));
    }

    [TestCase(true, "det.wasm")]
    [TestCase(false, "nondet.wasm")]
    public void Load_When_SelectsByDeterminism(bool deterministic, string started)
    {
        using var store = new TestRunnerStore();
        var contract = Zip("""{"Seq":[{"When":{"cond":"det","action":{"StartWasm":"det.wasm"}}},{"When":{"cond":"nondet","action":{"StartWasm":"nondet.wasm"}}}]}""", ("det.wasm", "D"), ("nondet.wasm", "N"));
        Assert.That(Load(store, contract, deterministic).Start.Path, Is.EqualTo(started));
    }

    [Test]
    public void Load_DependsTwice_RunsOnceAndChargesOnce()
    {
        using var store = new TestRunnerStore();
        var lib = store.Add("lib", """{"Seq":[{"MapFile":{"file":"src/","to":"/py/libs/"}},{"SetArgs":["lib"]}]}""", ("src/m.py", "M"));
        var contract = Zip($$$"""{"Seq":[{"Depends":"{{{lib}}}"},{"Depends":"{{{lib}}}"},{"StartWasm":"m"}]}""", ("m", "W"));
        var result = Load(store, contract);
        Assert.That(result.Args, Is.EqualTo(new[] { "lib" }));
        Assert.That(FileText(result.FileSystem, "py/libs/m.py"), Is.EqualTo("M"));
        var libSize = new FileInfo(store.Registry().TarPath(RunnerId.Parse(lib))).Length;
        Assert.That(result.ChargedBytes, Is.EqualTo(contract.TotalSize + libSize + 256 + "/py/libs/m.py".Length));
    }

    [Test]
    public void Load_WithRunner_UsesArchiveWithoutItsRunnerJsonAndChargesEachUse()
    {
        using var store = new TestRunnerStore();
        var lib = store.Add("lib", """{"SetArgs":["from-runner-json"]}""", ("a.txt", "A"), ("b.txt", "B"));
        var contract = Zip("""
            {"Seq":[
              {"With":{"runner":"LIB","action":{"MapFile":{"file":"a.txt","to":"/a"}}}},
              {"With":{"runner":"LIB","action":{"MapFile":{"file":"b.txt","to":"/b"}}}},
              {"Depends":"LIB"},
              {"StartWasm":"m"}
            ]}
            """.Replace("LIB", lib, StringComparison.Ordinal), ("m", "W"));
        var result = Load(store, contract);
        Assert.That(FileText(result.FileSystem, "a"), Is.EqualTo("A"));
        Assert.That(FileText(result.FileSystem, "b"), Is.EqualTo("B"));
        Assert.That(result.Args, Is.EqualTo(new[] { "from-runner-json" }), "With does not mark the runner processed");
        var libSize = new FileInfo(store.Registry().TarPath(RunnerId.Parse(lib))).Length;
        Assert.That(result.ChargedBytes, Is.EqualTo(contract.TotalSize + (3 * libSize) + 256 + 2 + 256 + 2));
    }

    [Test]
    public void Load_PythonShapedGraph_FilesArgsEnvAndStartFromRunner()
    {
        using var store = new TestRunnerStore();
        var cpython = store.Add("cpython", TestTar.Of(
            ("runner.json", """{"Seq":[{"AddEnv":{"name":"pwd","val":"/"}},{"MapFile":{"file":"py/","to":"/py/"}},{"AddEnv":{"name":"PYTHONHOME","val":"/py/std"}},{"AddEnv":{"name":"PYTHONPATH","val":"/py/std:/py/libs"}},{"StartWasm":"cpython.wasm"}]}"""),
            ("cpython.wasm", "WASM"), ("py/std/os.py", "os"), (RunnerLoader.FloatPolicyMember, "softfloat\n")));
        var std = store.Add("py-lib-genlayer-std", """{"MapFile":{"file":"/","to":"/py/libs/"}}""", ("genlayer/__init__.py", "gl"), ("_genlayer_runner.py", "run"));
        var glue = store.Add("py-genlayer", """{"Seq":[{"With":{"runner":"<contract>","action":{"MapFile":{"file":"file","to":"/contract.py"}}}},{"SetArgs":["py","-u","-B","/py/libs/_genlayer_runner.py"]},{"Depends":"STD"},{"Depends":"CPY"}]}""".Replace("STD", std, StringComparison.Ordinal).Replace("CPY", cpython, StringComparison.Ordinal));
        store.Aliases["py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6"] = "py-genlayer";
        var contract = TestRunnerStore.TextContract("""{ "Seq": [ { "AddEnv": {"name": "GENLAYER_X", "val": "1"} }, { "Depends": "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6" } ] }""", "v0.2.16");

        var det = Load(store, contract);
        Assert.That(det.Start.CacheKey, Is.EqualTo(cpython + ":cpython.wasm"));
        Assert.That(det.SoftFloat, Is.True);
        Assert.That(det.Args, Is.EqualTo(new[] { "py", "-u", "-B", "/py/libs/_genlayer_runner.py" }));
        Assert.That(det.Environment.Select(p => p.Key + "=" + p.Value), Is.EqualTo(new[] { "GENLAYER_X=1", "PYTHONHOME=/py/std", "PYTHONPATH=/py/std:/py/libs", "pwd=/" }));
        Assert.That(FileText(det.FileSystem, "contract.py"), Does.StartWith("# v0.2.16"));
        Assert.That(FileText(det.FileSystem, "py/libs/genlayer/__init__.py"), Is.EqualTo("gl"));
        Assert.That(FileText(det.FileSystem, "py/libs/runner.json"), Does.Contain("MapFile"));
        Assert.That(FileText(det.FileSystem, "py/std/os.py"), Is.EqualTo("os"));
        Assert.That(det.Version.Minor, Is.EqualTo(2));

        Assert.That(Load(store, contract, deterministic: false).SoftFloat, Is.False, "nondet VMs use hardware floats");
    }

    [Test]
    public void Load_FloatPolicyMemberInContractArchive_Ignored()
    {
        using var store = new TestRunnerStore();
        var contract = Zip("""{"StartWasm":"m"}""", ("m", "M"), (RunnerLoader.FloatPolicyMember, "softfloat"));
        Assert.That(Load(store, contract).SoftFloat, Is.False);
    }

    [Test]
    public void Load_LinkWasm_NamedModulesInOrderBeforeStart()
    {
        using var store = new TestRunnerStore();
        var sf = store.Add("softfloat", new TestTar()
            .Add("runner.json", """{"LinkWasm":"softfloat.wasm"}"""u8.ToArray())
            .Add("softfloat.wasm", TestWasm.Module("softfloat")).Build());
        var contract = ContractArchive.FromCode(TestZip.Build([
            new("a.wasm", TestWasm.Module("alpha")), new("m.wasm", TestWasm.Module()),
            new("runner.json", Encoding.UTF8.GetBytes($$$"""{"Seq":[{"LinkWasm":"a.wasm"},{"Depends":"{{{sf}}}"},{"StartWasm":"m.wasm"}]}"""))]));
        var result = Load(store, contract);
        Assert.That(result.Linked.Select(m => m.ModuleName), Is.EqualTo(new[] { "alpha", "softfloat" }));
        Assert.That(result.Linked[1].CacheKey, Is.EqualTo(sf + ":softfloat.wasm"));
    }

    [Test]
    public void Load_DependsContract_NoRecursion()
    {
        using var store = new TestRunnerStore();
        var result = Load(store, Zip("""{"Seq":[{"Depends":"<contract>"},{"SetArgs":["once"]},{"StartWasm":"m"}]}""", ("m", "M")));
        Assert.That(result.Args, Is.EqualTo(new[] { "once" }));
    }

    [Test]
    public void Load_RunnerDependsOnContract_RunsContractJsonOnlyOnce()
    {
        using var store = new TestRunnerStore();
        var r = store.Add("r", """{"Seq":[{"Depends":"<contract>"},{"With":{"runner":"<contract>","action":{"StartWasm":"m"}}}]}""");
        var result = Load(store, Zip($$$"""{"Seq":[{"SetArgs":["c"]},{"Depends":"{{{r}}}"}]}""", ("m", "M")));
        Assert.That(result.Args, Is.EqualTo(new[] { "c" }));
        Assert.That(result.Start.ArchiveKey, Is.EqualTo("on_chain:0x01"));
    }

    [Test]
    public void Load_Cancelled_Timeout()
    {
        using var store = new TestRunnerStore();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(Fails(store, Zip("""{"StartWasm":"m"}""", ("m", "M")), token: cts.Token).VmError, Is.EqualTo("timeout"));
    }

    [Test]
    public void Load_ChargeRefused_Oom()
    {
        using var store = new TestRunnerStore();
        var contract = Zip("""{"Seq":[{"MapFile":{"file":"m","to":"/m"}},{"StartWasm":"m"}]}""", ("m", "M"));
        Assert.That(Fails(store, contract, charge: n => n < 256).VmError, Is.EqualTo("OOM"), "the mapping charge fails");
        Assert.That(Fails(store, contract, charge: _ => false).VmError, Is.EqualTo("OOM"), "the archive charge fails");
    }

    [Test]
    public void Load_VersionTooBig_BeforeActions()
    {
        using var store = new TestRunnerStore();
        var contract = TestRunnerStore.TextContract("""{"Depends":"nope:x"}""", "v0.3.0");
        Assert.That(Fails(store, contract).VmError, Is.EqualTo("version_too_big"));
    }

    [Test]
    public void Load_MalformedVersion_InvalidContract()
    {
        using var store = new TestRunnerStore();
        Assert.That(Fails(store, TestRunnerStore.TextContract("""{"StartWasm":"file"}""", "vfoo")).VmError, Is.EqualTo("invalid_contract"));
    }

    [Test]
    public void Load_SameArchiveTwice_MemoizedResultChargesReplayedInOrder()
    {
        using var store = new TestRunnerStore();
        var lib = store.Add("lib", """{"MapFile":{"file":"src/","to":"/py/"}}""", ("src/a.py", "A"));
        var contract = Zip("""{"Seq":[{"Depends":"LIB"},{"StartWasm":"m"}]}""".Replace("LIB", lib, StringComparison.Ordinal), ("m", "M"));
        var loader = store.Loader();
        var first = new List<long>();
        var second = new List<long>();
        var a = loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = Time, Charge = n => { first.Add(n); return true; } }, CancellationToken.None);
        var b = loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = Time, Charge = n => { second.Add(n); return true; } }, CancellationToken.None);
        Assert.That(b, Is.SameAs(a));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(first, Has.Count.EqualTo(3));

        var nondet = loader.Load(new RunnerLoadRequest { Contract = contract, Deterministic = false, TransactionUnixSeconds = Time }, CancellationToken.None);
        Assert.That(nondet, Is.Not.SameAs(a), "determinism is part of the memo key");
    }

    [Test]
    public void Load_MemoizedThenRefusedCharge_OomAndThenTooNewForDate_VersionTooBig()
    {
        using var store = new TestRunnerStore();
        var contract = TestRunnerStore.TextContract("""{"Seq":[{"With":{"runner":"<contract>","action":{"MapFile":{"file":"file","to":"/c.py"}}}},{"StartWasm":"file"}]}""", "v0.1.10");
        var loader = store.Loader();
        loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = Time }, CancellationToken.None);
        var oom = Assert.Throws<RunnerLoadException>(() => loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = Time, Charge = n => n > 1000 }, CancellationToken.None));
        Assert.That(oom!.VmError, Is.EqualTo("OOM"));
        var old = Assert.Throws<RunnerLoadException>(() => loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = 1751360400 }, CancellationToken.None));
        Assert.That(old!.VmError, Is.EqualTo("version_too_big"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var timeout = Assert.Throws<RunnerLoadException>(() => loader.Load(new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = Time }, cts.Token));
        Assert.That(timeout!.VmError, Is.EqualTo("timeout"));
    }
}
