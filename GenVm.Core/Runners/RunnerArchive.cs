using System.Text;
using GenVm.Core.Wasi;

namespace GenVm.Core.Runners;

/// <summary>
/// An archive (runners.md §1): members <c>path → bytes</c> ordered byte-wise by path, plus the total size charged to
/// the memory limiter (wasm-abi.md §12). Member bytes are slices of the archive's buffer, never copies. Immutable.
/// </summary>
internal sealed class RunnerArchive
{
    /// <summary>The member that holds the action script (runners.md §4).</summary>
    public const string RunnerJsonMember = "runner.json";

    /// <summary>The member that holds the declared GenVM ABI version (runners.md §3).</summary>
    public const string VersionMember = "version";

    private readonly SortedDictionary<string, ReadOnlyMemory<byte>> _members;
    private readonly Lazy<RunnerAction> _actions;

    /// <summary>Creates an archive from already validated members.</summary>
    public RunnerArchive(SortedDictionary<string, ReadOnlyMemory<byte>> members, long totalSize)
    {
        ArgumentNullException.ThrowIfNull(members);
        _members = members;
        TotalSize = totalSize;
        // Parsed once per archive (runners.md §9); a parse failure is cached too, it is deterministic.
        _actions = new Lazy<RunnerAction>(ParseActions, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The size charged for each use of the archive (tar or code length, runners.md §1).</summary>
    public long TotalSize { get; }

    /// <summary>The members in byte-wise path order (directory entries of zips included).</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Members => _members;

    /// <summary>Looks up a member.</summary>
    public bool TryGetMember(string path, out ReadOnlyMemory<byte> contents) => _members.TryGetValue(path, out contents);

    /// <summary>The <c>version</c> member as text, or null when absent (runners.md §3: then <c>v0.1.0</c>).</summary>
    /// <exception cref="RunnerLoadException">The member is not UTF-8 (<c>invalid_contract</c>).</exception>
    public string? VersionText => _members.TryGetValue(VersionMember, out var bytes) ? DecodeUtf8(bytes.Span, VersionMember) : null;

    /// <summary>The parsed <c>runner.json</c> (runners.md §4), parsed on first use and kept.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c>: missing or unparsable.</exception>
    public RunnerAction Actions => _actions.Value;

    /// <summary>A new empty member map with the archive ordering (UTF-8 bytes).</summary>
    public static SortedDictionary<string, ReadOnlyMemory<byte>> NewMemberMap() => new(Utf8NameComparer.Instance);

    private RunnerAction ParseActions() =>
        _members.TryGetValue(RunnerJsonMember, out var json)
            ? RunnerActionParser.Parse(json)
            : throw RunnerLoadException.Invalid("archive has no runner.json");

    /// <summary>Strict UTF-8 decoding; invalid bytes are an <c>invalid_contract</c> failure naming <paramref name="what"/>.</summary>
    internal static string DecodeUtf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw RunnerLoadException.Invalid($"{what} is not UTF-8");
        }
    }

    /// <summary>UTF-8 that throws on invalid bytes instead of substituting U+FFFD.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
