using System.Diagnostics;
using System.Text;
using System.Text.Json;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

/// <summary>
/// <c>runners/pack-runners.py</c> on the CPython build (<c>GENVM_PYTHON_RUNNER_DIR</c>): two packs give the same ids,
/// every tar passes our reader at its layout path, and each runner.json is the compact sorted form.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class PackRunnersTests
{
    private static string Pack(string cpythonDir, string output)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(RepositoryRoot.Path, "runners", "pack-runners.py"), "--cpython-dir", cpythonDir, "--out", output })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return stdout;
    }

    [Test]
    public void Pack_Twice_SameIdsValidTarsCompactRunnerJson()
    {
        var cpythonDir = Environment.GetEnvironmentVariable("GENVM_PYTHON_RUNNER_DIR");
        if (string.IsNullOrEmpty(cpythonDir) || !File.Exists(Path.Combine(cpythonDir, "python.wasm")))
        {
            Assert.Ignore("GENVM_PYTHON_RUNNER_DIR is not set: run `bash runners/build-python.sh` (CI does)");
        }

        var root = Path.Combine(Path.GetTempPath(), "genvm-pack-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            Pack(cpythonDir!, Path.Combine(root, "a"));
            Pack(cpythonDir!, Path.Combine(root, "b"));
            var first = RunnerManifest.Load(Path.Combine(root, "a", RunnerManifest.FileName));
            var second = RunnerManifest.Load(Path.Combine(root, "b", RunnerManifest.FileName));
            Assert.That(second.Runners, Is.EqualTo(first.Runners));
            Assert.That(first.Runners.Keys, Is.SupersetOf(new[] { "cpython", "py-lib-cloudpickle" }));

            var registry = new RunnerRegistry(Path.Combine(root, "a"), first, new RunnerArchiveCache());
            foreach (var (name, hash) in first.Runners)
            {
                var id = new RunnerId(name, hash);
                var bytes = File.ReadAllBytes(registry.TarPath(id));
                Assert.That(Nix32.RunnerHash(bytes), Is.EqualTo(hash), name);
                var archive = registry.Load(id);
                var json = Encoding.UTF8.GetString(archive.Members[RunnerArchive.RunnerJsonMember].Span);
                Assert.That(json, Is.EqualTo(Canonical(json)), name + ": runner.json compact, sorted keys, newline");
                Assert.That(archive.Actions, Is.Not.Null);
                Assert.That(archive.Members.Keys.Where(k => k.EndsWith(".py", StringComparison.Ordinal)).Where(k => !archive.Members.ContainsKey(PycOf(k))), Is.Empty, name + ": every .py has its pyc");
            }

            foreach (var (reference, target) in first.Aliases)
            {
                if (first.Runners.ContainsKey(target))
                {
                    Assert.That(registry.Resolve(reference, debugMode: false).Name, Is.EqualTo(target));
                }
            }

            var committed = RunnerManifest.Load(Path.Combine(RepositoryRoot.Path, RunnerManifest.FileName));
            foreach (var (name, hash) in committed.Runners)
            {
                if (first.Runners[name] != hash)
                {
                    Assert.Warn($"{name}: this build gives {first.Runners[name]}, the repository records {hash} (build inputs differ from the pins?)");
                }
            }
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static string PycOf(string py)
    {
        var slash = py.LastIndexOf('/');
        var directory = slash < 0 ? string.Empty : py[..(slash + 1)];
        return directory + "__pycache__/" + py[(slash + 1)..^3] + ".cpython-313.pyc";
    }

    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, document.RootElement);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
