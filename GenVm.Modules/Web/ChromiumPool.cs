using System.Collections.Concurrent;
using GenVm.Core.Modules;

namespace GenVm.Modules.Web;

/// <summary>
/// Browser processes for rendering: each render rents one browser exclusively; a browser that died is replaced; disposal
/// closes and kills every process it started (no orphans).
/// </summary>
internal sealed class ChromiumPool : IAsyncDisposable
{
    private readonly string _executable;
    private readonly ChromiumOptions _options;
    private readonly ProxyRoutes _routes;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<ChromiumBrowser> _idle = [];
    private readonly ConcurrentDictionary<int, ChromiumBrowser> _all = new();
    private int _disposed;

    public ChromiumPool(string executable, ChromiumOptions options, ProxyRoutes routes)
    {
        _executable = executable;
        _options = options;
        _routes = routes;
        _slots = new SemaphoreSlim(options.PoolSize, options.PoolSize);
    }

    /// <summary>Process ids of the live browsers (tests).</summary>
    internal IReadOnlyCollection<int> ProcessIds => _all.Keys.ToList();

    /// <summary>Renders with a pooled browser (see <see cref="ChromiumBrowser.RenderAsync"/>).</summary>
    public async Task<RenderResult> RenderAsync(string url, RenderMode mode, TimeSpan waitAfterLoaded, UrlPolicy? policy, TimeProvider time, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ChromiumBrowser? browser = null;
        var healthy = false;
        try
        {
            while (_idle.TryTake(out var idle))
            {
                if (idle.IsAlive)
                {
                    browser = idle;
                    break;
                }

                await RetireAsync(idle).ConfigureAwait(false);
            }

            if (browser is null)
            {
                browser = await ChromiumBrowser.LaunchAsync(_executable, _routes, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
                _all[browser.ProcessId] = browser;
            }

            var result = await browser.RenderAsync(url, mode, waitAfterLoaded, _options.LoadTimeout, policy, time, cancellationToken).ConfigureAwait(false);
            healthy = true;
            return result;
        }
        catch (Scripting.LuaModuleError)
        {
            healthy = true;
            throw;
        }
        finally
        {
            if (browser is not null)
            {
                if (healthy && browser.IsAlive && Volatile.Read(ref _disposed) == 0)
                {
                    _idle.Add(browser);
                }
                else
                {
                    // A cancelled or failed render may leave the browser mid-way: it is not reused.
                    await RetireAsync(browser).ConfigureAwait(false);
                }
            }

            _slots.Release();
        }
    }

    private async Task RetireAsync(ChromiumBrowser browser)
    {
        _all.TryRemove(browser.ProcessId, out _);
        await browser.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var browser in _all.Values)
        {
            await browser.DisposeAsync().ConfigureAwait(false);
        }

        _all.Clear();
    }
}
