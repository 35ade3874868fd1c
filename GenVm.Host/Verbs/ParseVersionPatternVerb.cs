using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm parse-version-pattern</c> (config.md §3): reads contract code on stdin, builds its archive (runners.md §2)
/// and writes the archive's <c>version</c> member verbatim, or <c>v*.*.*</c> when it has none (a zip without one).
/// Exit code 1 with one stderr line when the code is not a contract.
/// </summary>
internal sealed class ParseVersionPatternVerb : IVerb
{
    /// <summary>What a version-less archive prints.</summary>
    public const string AnyVersion = "v*.*.*";

    private readonly Func<Stream> _stdin;
    private readonly Func<Stream> _stdout;
    private readonly Func<Stream> _stderr;

    /// <summary>Uses the process's standard streams.</summary>
    public ParseVersionPatternVerb()
        : this(Console.OpenStandardInput, Console.OpenStandardOutput, Console.OpenStandardError)
    {
    }

    /// <summary>Uses the given streams (tests).</summary>
    internal ParseVersionPatternVerb(Func<Stream> stdin, Func<Stream> stdout, Func<Stream> stderr)
    {
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
    }

    public string Name => "parse-version-pattern";

    public string Summary => "print the version of the contract code read from stdin (v*.*.* when it has none)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var stderr = _stderr();
        if (args.Count != 0)
        {
            await stderr.WriteAsync(Encoding.UTF8.GetBytes("genvm parse-version-pattern: takes no arguments; the code comes on stdin\n"), cancellationToken).ConfigureAwait(false);
            return 2;
        }

        using var code = new MemoryStream();
        await _stdin().CopyToAsync(code, cancellationToken).ConfigureAwait(false);
        string version;
        try
        {
            var archive = ContractArchive.FromCode(code.ToArray(), out var kind);

            // runners.md §2: text and raw wasm archives always have a version (v0.1.0 when undeclared); a zip may not.
            version = archive.TryGetMember(RunnerArchive.VersionMember, out var bytes)
                ? RunnerArchive.StrictUtf8.GetString(bytes.Span)
                : kind == ContractArchive.CodeKind.Zip ? AnyVersion : "v0.1.0";
        }
        catch (Exception e) when (e is RunnerLoadException or DecoderFallbackException)
        {
            await stderr.WriteAsync(Encoding.UTF8.GetBytes($"genvm parse-version-pattern: {(e as RunnerLoadException)?.VmError ?? "invalid_contract"}: {e.Message}\n"), cancellationToken).ConfigureAwait(false);
            return 1;
        }

        var stdout = _stdout();
        await stdout.WriteAsync(Encoding.UTF8.GetBytes(version), cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
