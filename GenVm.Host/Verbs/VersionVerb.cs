using System.Reflection;

namespace GenVm.Host.Verbs;

/// <summary><c>genvm version</c>: prints the executable's version.</summary>
internal sealed class VersionVerb : IVerb
{
    public string Name => "version";

    public string Summary => "print the genvm version";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var version = typeof(VersionVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        Console.Out.WriteLine(version);
        return Task.FromResult(0);
    }
}
