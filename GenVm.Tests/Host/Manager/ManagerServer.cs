using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GenVm.Host.Manager;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host.Manager;

/// <summary>
/// The whole manager in the test process: Kestrel on 127.0.0.1 with a free port, a manifest in a fresh temp
/// directory (which is also the install root for fake executors), and an <see cref="HttpClient"/> for real calls.
/// </summary>
internal sealed class ManagerServer : IAsyncDisposable
{
    /// <summary>A manifest with the built-in v0.2.7 (and older patches) available since 2024-09-01.</summary>
    public const string DefaultManifest = """
        executor_versions:
          "v0.2.7":
            available_after: "2024-09-01T00:00:00Z"
          "v0.2.6":
            available_after: "2024-09-01T00:00:00Z"
        runners_download_urls: []
        """;

    private ManagerServer(WebApplication app, DirectoryInfo root, HttpClient client)
    {
        App = app;
        Root = root;
        Client = client;
    }

    public WebApplication App { get; }

    /// <summary>The temp install root: <c>manifest.yaml</c>, <c>executor/&lt;v&gt;/bin/genvm</c>.</summary>
    public DirectoryInfo Root { get; }

    public HttpClient Client { get; }

    public ExecutionService Executions => App.Services.GetRequiredService<ExecutionService>();

    public PermitPool Permits => App.Services.GetRequiredService<PermitPool>();

    /// <summary>Starts a manager; <paramref name="configure"/> adjusts the options (root and manifest are preset).</summary>
    public static async Task<ManagerServer> StartAsync(Action<ManagerOptions>? configure = null, string manifest = DefaultManifest, Action<IServiceCollection>? services = null)
    {
        var root = Directory.CreateTempSubdirectory("genvm-manager-");
        var manifestPath = Path.Combine(root.FullName, "manifest.yaml");
        await File.WriteAllTextAsync(manifestPath, manifest);
        var options = new ManagerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            ManifestPath = manifestPath,
            Root = root.FullName,
            Permits = 4,
            LogLevel = "error",
            ModuleStartWait = TimeSpan.FromMilliseconds(50),
            GcInterval = TimeSpan.FromHours(1),
            ShutdownGrace = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        var app = ManagerApplication.Build(options, configure: services);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = ManagerApplication.BaseAddress(app), Timeout = TimeSpan.FromSeconds(60) };
        return new ManagerServer(app, root, client);
    }

    /// <summary>Writes an executable fake executor at <c>&lt;root&gt;/executor/&lt;directory&gt;/bin/genvm</c>.</summary>
    public string WriteExecutor(string directory, string bashScript)
    {
        var bin = Directory.CreateDirectory(Path.Combine(Root.FullName, "executor", directory, "bin"));
        var path = Path.Combine(bin.FullName, "genvm");
        File.WriteAllText(path, "#!/bin/bash\n" + bashScript);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    public async Task<(int Status, JsonNode? Body)> GetAsync(string path)
        => await ReadAsync(await Client.GetAsync(new Uri(path, UriKind.Relative)));

    public async Task<(int Status, JsonNode? Body)> DeleteAsync(string path)
        => await ReadAsync(await Client.DeleteAsync(new Uri(path, UriKind.Relative)));

    public async Task<(int Status, JsonNode? Body)> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await ReadAsync(await Client.PostAsync(new Uri(path, UriKind.Relative), content));
    }

    public async Task<(int Status, JsonNode? Body)> PostCodeAsync(string path, byte[] code, string? deploymentTimestamp)
    {
        using var content = new ByteArrayContent(code);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (deploymentTimestamp is not null)
        {
            request.Headers.Add("Deployment-Timestamp", deploymentTimestamp);
        }

        return await ReadAsync(await Client.SendAsync(request));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Root.Delete(recursive: true);
    }

    private static async Task<(int Status, JsonNode? Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
            return ((int)response.StatusCode, JsonNode.Parse(text));
        }
    }
}
