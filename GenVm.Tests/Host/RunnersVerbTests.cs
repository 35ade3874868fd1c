using GenVm.Core.Runners;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Runners;

namespace GenVm.Tests.Host;

[TestFixture]
public sealed class RunnersVerbTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await new RunnersVerb(stdout, stderr).RunAsync(args, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task List_StoreWithManifest_IdsPresenceTagsAliasesAndNotShipped()
    {
        using var store = new TestRunnerStore();
        var present = RunnerId.Parse(store.Add("cpython", """{"StartWasm":"x"}""", ("x", "X")));
        File.WriteAllText(Path.Combine(store.Directory, RunnerManifest.FileName), $$$"""
            {"$schema_version":1,
             "runners":{"cpython":"{{{present.Hash}}}","py-genlayer":"0000000000000000000000000000000000000000000000000000"},
             "aliases":{"cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n":"cpython","a:b":"py-lib-genlayer-std"},
             "tags":{"test":{"cpython":"{{{present.Hash}}}"}},
             "not_shipped":{"py-lib-protobuf:0riri6vk1ma3cnmlwls3d4771y0cf3c44afsl6gwfmnl2cpcbdl1":"later"}}
            """);
        var (code, stdout, stderr) = await RunAsync("list", "--runners-dir", store.Directory);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain($"  {present}  present  tags: test (debug mode only)"));
        Assert.That(stdout, Does.Contain("  py-genlayer:0000000000000000000000000000000000000000000000000000  missing"));
        Assert.That(stdout, Does.Contain($"  cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n -> {present}  present"));
        Assert.That(stdout, Does.Contain("  a:b -> py-lib-genlayer-std (not built)"));
        Assert.That(stdout, Does.Contain("  py-lib-protobuf:0riri6vk1ma3cnmlwls3d4771y0cf3c44afsl6gwfmnl2cpcbdl1  later"));
    }

    [Test]
    public async Task List_NoManifest_SaysHowToBuild()
    {
        using var store = new TestRunnerStore();
        var (code, stdout, _) = await RunAsync("list", "--runners-dir", store.Directory);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("run `genvm runners build`"));
    }

    [Test]
    public async Task List_BadManifest_ExitOne()
    {
        using var store = new TestRunnerStore();
        File.WriteAllText(Path.Combine(store.Directory, RunnerManifest.FileName), "{}");
        var (code, _, stderr) = await RunAsync("list", "--runners-dir", store.Directory);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("$schema_version"));
    }

    [TestCase]
    [TestCase("lst")]
    [TestCase("list", "--repo", "x")]
    [TestCase("build", "--bogus")]
    [TestCase("list", "--runners-dir")]
    public async Task Run_BadArguments_UsageExitTwo(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("usage: genvm runners"));
    }

    [Test]
    public async Task Build_RunsTheRepositoryScript_StreamsOutputAndPassesRunnersDir()
    {
        using var store = new TestRunnerStore();
        var repo = Path.Combine(store.Directory, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "runners"));
        File.WriteAllText(Path.Combine(repo, "runners", "build-runners.sh"), """
            echo "[runners] step 1/1: fake" >&2
            echo "args: $*"
            echo "$GENVM_RUNNERS_DIR"
            """);
        var (code, stdout, stderr) = await RunAsync("build", "--repo", repo, "--runners-dir", store.Directory, "--update-repo-manifest");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stderr, Does.Contain("[runners] step 1/1: fake"));
        Assert.That(stdout, Is.EqualTo($"args: --update-repo-manifest{Environment.NewLine}{store.Directory}{Environment.NewLine}"));
    }

    [Test]
    public async Task Build_ScriptFails_ExitOne()
    {
        using var store = new TestRunnerStore();
        var repo = Path.Combine(store.Directory, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "runners"));
        File.WriteAllText(Path.Combine(repo, "runners", "build-runners.sh"), "echo broken >&2; exit 3\n");
        var (code, _, stderr) = await RunAsync("build", "--repo", repo, "--runners-dir", store.Directory);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("broken"));
        Assert.That(stderr, Does.Contain("exit code 3"));
    }

    [Test]
    public async Task Build_NoScript_ExitOne()
    {
        using var store = new TestRunnerStore();
        var (code, _, stderr) = await RunAsync("build", "--repo", store.Directory);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("cannot find runners/build-runners.sh"));
    }
}
