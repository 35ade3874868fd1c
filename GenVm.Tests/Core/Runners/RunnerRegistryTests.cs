using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class RunnerRegistryTests
{
    private const string ReferenceGlue = "py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6";

    private static TestRunnerStore Store(out string ours)
    {
        var store = new TestRunnerStore();
        ours = store.Add("py-genlayer", """{"StartWasm":"x"}""", ("x", "X"));
        store.Aliases[ReferenceGlue] = "py-genlayer";
        store.Tags["test"] = new Dictionary<string, string> { ["py-genlayer"] = RunnerId.Parse(ours).Hash };
        store.Tags["latest"] = new Dictionary<string, string> { ["py-genlayer"] = RunnerId.Parse(ours).Hash };
        return store;
    }

    private static void AssertFails(RunnerRegistry registry, string reference, bool debug, string detail)
    {
        var e = Assert.Throws<RunnerLoadException>(() => registry.Resolve(reference, debug));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
        Assert.That(e.Message, Does.Contain(detail));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Resolve_OwnId_Itself(bool debug)
    {
        using var store = Store(out var ours);
        Assert.That(store.Registry().Resolve(ours, debug).ToString(), Is.EqualTo(ours));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Resolve_AliasedReferenceId_OurBuild(bool debug)
    {
        using var store = Store(out var ours);
        Assert.That(store.Registry().Resolve(ReferenceGlue, debug).ToString(), Is.EqualTo(ours));
    }

    [TestCase("test")]
    [TestCase("latest")]
    public void Resolve_TagInDebugMode_TaggedHash(string tag)
    {
        using var store = Store(out var ours);
        Assert.That(store.Registry().Resolve("py-genlayer:" + tag, debugMode: true).ToString(), Is.EqualTo(ours));
    }

    [TestCase("test")]
    [TestCase("latest")]
    public void Resolve_TagWithoutDebugMode_InvalidRunnerId(string tag)
    {
        using var store = Store(out _);
        AssertFails(store.Registry(), "py-genlayer:" + tag, debug: false, "invalid runner id");
    }

    [Test]
    public void Resolve_TagWithoutEntry_InvalidRunnerIdEvenInDebug()
    {
        using var store = Store(out _);
        AssertFails(store.Registry(), "cpython:test", debug: true, "invalid runner id");
    }

    [TestCase("py-genlayer:0000000000000000000000000000000000000000000000000000")]
    [TestCase("cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n")]
    [TestCase("py-lib-protobuf:0riri6vk1ma3cnmlwls3d4771y0cf3c44afsl6gwfmnl2cpcbdl1")]
    [TestCase("py-lib-genlayer-embeddings:0bmbm3cyfwxsyh454z53vxqjf47wz2q7smcqp1q4g4a6k2kidnyk")]
    [TestCase("softfloat:08g85lmbfjngvvjyx1gr1pyk61nqba0y42gba8wrb1qd3zkv2gmd")]
    public void Resolve_UnknownOrUnshipped_RunnerNotFound(string reference)
    {
        using var store = Store(out _);
        AssertFails(store.Registry(), reference, debug: true, $"runner {reference} not found");
    }

    [Test]
    public void Resolve_AliasToRunnerWeDoNotHave_NotFound()
    {
        using var store = Store(out _);
        store.Aliases["cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n"] = "cpython";
        AssertFails(store.Registry(), "cpython:1bk9g3zgym0rrpd9lk584cxfaa4rg0cz36w6xhzkqdj1m2p4xa9n", debug: false, "not found");
    }

    [Test]
    public void Load_TarMissingOnDisk_InvalidContractNotFound()
    {
        using var store = Store(out var ours);
        var registry = store.Registry();
        var id = registry.Resolve(ours, false);
        File.Delete(registry.TarPath(id));
        var e = Assert.Throws<RunnerLoadException>(() => registry.Load(id));
        Assert.That(e!.Message, Does.Contain("not found"));
    }

    [Test]
    public void Open_ManifestInRunnersDirectory_Used()
    {
        using var store = Store(out var ours);
        File.WriteAllText(Path.Combine(store.Directory, RunnerManifest.FileName), $$$"""
            {"$schema_version":1,"runners":{"py-genlayer":"{{{RunnerId.Parse(ours).Hash}}}"},
             "aliases":{"{{{ReferenceGlue}}}":"py-genlayer"},
             "tags":{"test":{"py-genlayer":"{{{RunnerId.Parse(ours).Hash}}}"}},
             "not_shipped":{"py-lib-protobuf:0riri6vk1ma3cnmlwls3d4771y0cf3c44afsl6gwfmnl2cpcbdl1":"protobuf"}}
            """);
        var registry = RunnerRegistry.Open(store.Directory, new RunnerArchiveCache());
        Assert.That(registry.Resolve(ReferenceGlue, false).ToString(), Is.EqualTo(ours));
        Assert.That(registry.Manifest.NotShipped, Has.Count.EqualTo(1));
        Assert.That(registry.Load(RunnerId.Parse(ours)).Members.Keys, Is.EqualTo(new[] { "runner.json", "x" }));
    }

    [Test]
    public void Open_NoManifest_NoRunners()
    {
        using var store = Store(out var ours);
        AssertFails(RunnerRegistry.Open(store.Directory), ours, debug: true, "not found");
    }

    [TestCase("{}")]
    [TestCase("{\"$schema_version\":2}")]
    [TestCase("{\"$schema_version\":1,\"runners\":[]}")]
    [TestCase("{\"$schema_version\":1,\"aliases\":{\"a:b\":1}}")]
    [TestCase("{\"$schema_version\":1,\"tags\":{\"test\":\"x\"}}")]
    [TestCase("not json")]
    public void ManifestParse_Malformed_FormatException(string json) =>
        Assert.Throws<FormatException>(() => RunnerManifest.Parse(Encoding.UTF8.GetBytes(json)));

    [Test]
    public void ManifestParse_RepositoryManifest_Parses()
    {
        var manifest = RunnerManifest.Load(Path.Combine(RepositoryRoot.Path, RunnerManifest.FileName));
        Assert.That(manifest.Aliases, Does.ContainKey(ReferenceGlue));
        Assert.That(manifest.Aliases[ReferenceGlue], Is.EqualTo("py-genlayer"));
        Assert.That(manifest.Tags.Keys, Is.SupersetOf(new[] { "test", "latest" }));
        // Alias targets are the runners pack-runners.py builds; the hashes of SDK-dependent ones are build products.
        string[] ours = ["cpython", "py-lib-cloudpickle", "py-lib-genlayer-std", "py-genlayer", "py-genlayer-multi"];
        foreach (var (reference, target) in manifest.Aliases)
        {
            Assert.That(RunnerId.TryParse(reference, out var parsed), Is.True, reference);
            Assert.That(target, Is.EqualTo(parsed.Name).And.AnyOf(ours), $"alias {reference} → {target}");
        }

        Assert.That(manifest.Runners.Keys, Is.SubsetOf(ours));
        Assert.That(manifest.Runners.Keys, Does.Contain("cpython"));

        foreach (var reference in manifest.NotShipped.Keys)
        {
            Assert.That(manifest.Aliases, Does.Not.ContainKey(reference));
        }
    }

    [Test]
    public void Open_WithoutCache_SharedPerDirectoryUntilTheManifestChanges()
    {
        using var store = Store(out var ours);
        var path = Path.Combine(store.Directory, RunnerManifest.FileName);
        File.WriteAllText(path, """{"$schema_version":1}""");
        var first = RunnerRegistry.Open(store.Directory);
        Assert.That(RunnerRegistry.Open(store.Directory + "/"), Is.SameAs(first));
        Assert.That(RunnerRegistry.Open(store.Directory, new RunnerArchiveCache()), Is.Not.SameAs(first));

        File.WriteAllText(path, $$$"""{"$schema_version":1,"runners":{"py-genlayer":"{{{RunnerId.Parse(ours).Hash}}}"}}""");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var second = RunnerRegistry.Open(store.Directory);
        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(second.Resolve(ours, false).ToString(), Is.EqualTo(ours));
    }

    [Test]
    public void Load_TwoLoadersOverOneRegistry_ShareTheMemo()
    {
        using var store = Store(out _);
        var registry = store.Registry();
        var contract = ContractArchive.FromCode(TestZip.Of(("runner.json", "{\"StartWasm\":\"m\"}"), ("m", "M")));
        var request = new RunnerLoadRequest { Contract = contract, TransactionUnixSeconds = 1767225600 };
        var a = new RunnerLoader(registry).Load(request, CancellationToken.None);
        Assert.That(new RunnerLoader(registry).Load(request, CancellationToken.None), Is.SameAs(a));
        Assert.That(new RunnerLoader(store.Registry()).Load(request, CancellationToken.None), Is.Not.SameAs(a), "another registry may resolve differently");
    }
}
