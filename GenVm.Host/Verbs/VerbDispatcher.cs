using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Host.Verbs;

/// <summary>Selects the verb named by the first argument and runs it.</summary>
internal static class VerbDispatcher
{
    /// <summary>Runs the verb; prints usage and returns 2 when the verb is missing or unknown.</summary>
    public static async Task<int> DispatchAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var verbs = services.GetServices<IVerb>().ToList();
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(verbs, Console.Out);
            return args.Count == 0 ? 2 : 0;
        }

        var verb = verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            Console.Error.WriteLine($"genvm: unknown verb '{args[0]}'");
            PrintUsage(verbs, Console.Error);
            return 2;
        }

        Diagnostics.StartupTrace.Mark("verb " + verb.Name);
        return await verb.RunAsync(args.Skip(1).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private static void PrintUsage(IEnumerable<IVerb> verbs, TextWriter writer)
    {
        writer.WriteLine("usage: genvm <verb> [args...]");
        foreach (var v in verbs.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            writer.WriteLine($"  {v.Name,-12} {v.Summary}");
        }
    }
}
