using GenVm.Host.Verbs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GenVm.Host;

/// <summary>Entry point of the <c>genvm</c> executable: builds the Generic Host and dispatches to a verb.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning);
        builder.Services.AddGenVmVerbs();
        using var host = builder.Build();
        return await VerbDispatcher.DispatchAsync(host.Services, args, CancellationToken.None).ConfigureAwait(false);
    }
}
