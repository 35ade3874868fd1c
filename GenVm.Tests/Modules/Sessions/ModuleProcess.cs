using System.Diagnostics;
using System.Text;

namespace GenVm.Tests.Modules.Sessions;

/// <summary>
/// <c>genvm module llm|web</c> as a real child process (<c>dotnet genvm.dll</c> from the test output), started and
/// waited for by its <c>listening on ws://…</c> line, killed with SIGKILL when a test wants it gone mid-request.
/// </summary>
internal sealed class ModuleProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly StringBuilder _stderr;

    private ModuleProcess(Process process, StringBuilder stderr, Uri address)
    {
        _process = process;
        _stderr = stderr;
        Address = address;
    }

    /// <summary>The module's WebSocket URL.</summary>
    public Uri Address { get; }

    /// <summary>Starts the module and waits until it listens on <paramref name="listen"/> (port 0: any free port).</summary>
    public static async Task<ModuleProcess> StartAsync(string kind, string configPath, string listen = "127.0.0.1:0")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "genvm.dll"), "module", kind, "--config", configPath, "--listen", listen })
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
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
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("module process exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(StartTimeout);
            return new ModuleProcess(process, stderr, address);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            KillQuietly(process);
            string text;
            lock (stderr)
            {
                text = stderr.ToString();
            }

            throw new InvalidOperationException($"genvm module {kind} did not start: {e.Message}\n{text}", e);
        }
    }

    /// <summary>SIGKILL, then waits for the exit: no graceful WebSocket close reaches the clients.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            KillQuietly(_process);
            await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        }

        _process.Dispose();
    }
}
