using System.Diagnostics;
using System.Text;
using GenVm.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// Privilege separation (README "Running a module as another OS user"): <c>genvm module web</c> started through
/// <c>setpriv</c> as <c>nobody</c>, with a config file only that user can read, serves a WebSocket client in this
/// (root) process. Needs root and <c>setpriv</c> (util-linux); ignored otherwise.
/// </summary>
[TestFixture]
[Category("Network")]
public sealed class WebModuleAsOtherUserTests
{
    private const int Nobody = 65534;

    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ModuleVerb_RunAsNobodyWithPrivateConfig_ServesRequests()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv") || !File.ReadAllText("/etc/passwd").Contains(":65534:", StringComparison.Ordinal))
        {
            Assert.Ignore("needs root, setpriv and the nobody user");
        }

        var dotnet = Path.GetDirectoryName(new FileInfo(Environment.ProcessPath ?? "/usr/bin/dotnet").ResolveLinkTarget(true)?.FullName ?? Environment.ProcessPath ?? "/usr/bin/dotnet")!;
        if (!ReachableByOthers(AppContext.BaseDirectory) || !ReachableByOthers(dotnet) || !ReachableByOthers(Path.GetTempPath()))
        {
            Assert.Ignore("the test output, the dotnet install or the temp directory is not reachable by other users (a 0700 parent)");
        }

        await using var site = await StaticPages.StartAsync();
        var directory = Directory.CreateTempSubdirectory("genvm-module-user-");
        try
        {
            // The directory is reachable by anyone, the config (it would hold API keys) only by the module's user.
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var config = Path.Combine(directory.FullName, "genvm-module-web.yaml");
            await File.WriteAllTextAsync(config, """
                always_allow_hosts: ["127.0.0.1"]
                browser: none
                vm_count: 1
                signer_headers: { authorization: "Bearer only-the-module-user-reads-this" }
                """);
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await RunAsync("chown", $"{Nobody}:{Nobody}", config);

            var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
            {
                $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--",
                "dotnet", Path.Combine(AppContext.BaseDirectory, "genvm.dll"), "module", "web", "--config", config, "--listen", "127.0.0.1:0",
            })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["HOME"] = directory.FullName;
            using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var stderr = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("listening on ", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult(new Uri(e.Data["listening on ".Length..]));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            };
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the module exited: " + stderr));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
                var uid = File.ReadAllLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));

                var settings = new Dictionary<string, string?> { ["address"] = address.ToString() };
                var services = new ServiceCollection();
                services.AddWebModule(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
                await using var client = services.BuildServiceProvider();
                var answer = await client.GetRequiredService<IWebModule>().RequestAsync(
                    new WebHttpRequest("GET", site.Url + "/plain", new Dictionary<string, ReadOnlyMemory<byte>>(), null, false), CancellationToken.None);

                Assert.That(uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..], Is.All.EqualTo(Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(answer.Value!.Status, Is.EqualTo(200));
                Assert.That(Encoding.UTF8.GetString(answer.Value.Body.Span), Does.StartWith("line one"));
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool ReachableByOthers(string path)
    {
        // Every ancestor must let others search it, or the module's user cannot reach the files below.
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{command} failed");
    }
}
