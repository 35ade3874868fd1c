using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace GenVm.Host.Manager;

/// <summary><c>--die-with-parent</c> (manager.md §2): polls the parent process id every 5 s and stops the manager when it changes.</summary>
internal sealed partial class ParentWatcher(IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var parent = GetParentProcessId();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (GetParentProcessId() != parent)
                {
                    lifetime.StopApplication();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
