using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Configuration;

/// <summary>
/// The base keys every YAML config shares (config.md §2 "Base runtime keys"): <c>threads</c>, <c>blocking_threads</c>
/// and <c>log_disable</c> (<c>log_level</c> is read where it was before). The reference sizes a tokio runtime with the
/// first two; here <c>threads</c> raises the .NET thread pool's minimum worker count (workers started without the
/// pool's injection delay) and <c>blocking_threads</c> is validated only: .NET has no separate blocking pool, and
/// capping the one pool could starve it (docs/decisions.md "log_disable, threads, blocking_threads").
/// </summary>
/// <param name="Threads"><c>threads</c>, null when absent.</param>
/// <param name="BlockingThreads"><c>blocking_threads</c>, null when absent.</param>
/// <param name="LogDisable"><c>log_disable</c>.</param>
internal sealed record BaseRuntimeKeys(int? Threads, int? BlockingThreads, LogDisable LogDisable)
{
    /// <summary>Reads the keys through <paramref name="lookup"/> (a flattened YAML or configuration).</summary>
    /// <exception cref="FormatException"><c>threads</c> or <c>blocking_threads</c> is not a whole number of at least 1.</exception>
    public static BaseRuntimeKeys Read(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return new BaseRuntimeKeys(Count(lookup, "threads"), Count(lookup, "blocking_threads"), LogDisable.Parse(lookup("log_disable")));
    }

    /// <summary>
    /// The thread pool's minimum worker count with <see cref="Threads"/> applied to <paramref name="current"/>: raised to
    /// it, never lowered (fewer than the runtime's default, one per core, would only delay work: the pool grows anyway).
    /// </summary>
    public int MinWorkerThreads(int current) => Threads is { } threads && threads > current ? threads : current;

    /// <summary>Applies <see cref="Threads"/> to the process's thread pool.</summary>
    public void ApplyThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        var wanted = MinWorkerThreads(workers);
        if (wanted != workers)
        {
            ThreadPool.SetMinThreads(wanted, completion);
        }
    }

    /// <summary>Wraps the logger factory of <paramref name="services"/> so <see cref="LogDisable"/> applies; nothing when it is empty.</summary>
    public void AddLogDisable(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (LogDisable.IsEmpty)
        {
            return;
        }

        var disable = LogDisable;
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LogDisableLoggerFactory(
            new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()),
            disable)));
    }

    private static int? Count(Func<string, string?> lookup, string key)
    {
        var text = lookup(key);
        if (text is null)
        {
            return null;
        }

        // config.md §2: an integer; the schema says above 1, the reference's code takes any positive count.
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new FormatException($"{key}: `{text}` is not a whole number of at least 1");
    }
}
