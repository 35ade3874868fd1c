using System.Text;
using GenVm.Core.Protocol;

namespace GenVm.Core.Runners;

/// <summary>Turns contract code into an archive (runners.md §2): zip, then raw wasm, then a text contract with a comment header.</summary>
internal static class ContractArchive
{
    /// <summary>The member that holds the contract code of raw wasm and text contracts.</summary>
    public const string CodeMember = "file";

    /// <summary>The runner.json of raw wasm contracts (runners.md §2, the literal text).</summary>
    public const string WasmRunnerJson = "{ \"StartWasm\": \"file\" }";

    private static readonly string[] CommentPrefixes = ["//", "#", "--"];

    /// <summary>Which detection branch a code took.</summary>
    public enum CodeKind
    {
        /// <summary>A stored-only zip.</summary>
        Zip,

        /// <summary>A core wasm module.</summary>
        Wasm,

        /// <summary>UTF-8 text with a comment header.</summary>
        Text,
    }

    /// <summary>The archive cache key of a contract's own archive: <c>on_chain:0x&lt;40 lowercase hex&gt;</c> (runners.md §5).</summary>
    public static string OnChainKey(ReadOnlySpan<byte> address) => "on_chain:0x" + Convert.ToHexStringLower(address);

    /// <summary>
    /// The archive of <paramref name="code"/> through <paramref name="cache"/>, keyed by the code's SHA-256 (code in a
    /// contract's slot can change, so the address is not a safe process-wide key). Failures are not cached.
    /// </summary>
    /// <exception cref="RunnerLoadException">As <see cref="FromCode(ReadOnlyMemory{byte})"/>.</exception>
    public static RunnerArchive FromCodeCached(ReadOnlyMemory<byte> code, RunnerArchiveCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache.GetOrAdd("code:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(code.Span)), () => FromCode(code));
    }

    /// <summary>Builds the archive of <paramref name="code"/>; members share its buffer.</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c> (with <c>not_utf8_text</c> / <c>absent_runner_comment</c> for text).</exception>
    public static RunnerArchive FromCode(ReadOnlyMemory<byte> code) => FromCode(code, out _);

    /// <summary>Builds the archive and reports the detected form.</summary>
    /// <exception cref="RunnerLoadException">As <see cref="FromCode(ReadOnlyMemory{byte})"/>.</exception>
    public static RunnerArchive FromCode(ReadOnlyMemory<byte> code, out CodeKind kind)
    {
        if (ZipReader.TryReadCentralDirectory(code, out var entries))
        {
            kind = CodeKind.Zip;
            var zip = ZipReader.ReadMembers(code, entries);
            if (!zip.TryGetMember(RunnerArchive.RunnerJsonMember, out _))
            {
                throw RunnerLoadException.Invalid("zip contract has no runner.json");
            }

            return zip;
        }

        var members = RunnerArchive.NewMemberMap();
        members[CodeMember] = code;
        if (WasmCustomSections.IsCoreModule(code.Span))
        {
            kind = CodeKind.Wasm;
            var version = "v0.1.0";
            if (WasmCustomSections.TryFindCustomSection(code, "genvm.version", out var section))
            {
                try
                {
                    version = RunnerArchive.StrictUtf8.GetString(section.Span);
                }
                catch (DecoderFallbackException)
                {
                    // §2: not UTF-8 → v0.1.0.
                }
            }

            members[RunnerArchive.VersionMember] = Encoding.UTF8.GetBytes(version);
            members[RunnerArchive.RunnerJsonMember] = Encoding.UTF8.GetBytes(WasmRunnerJson);
            return new RunnerArchive(members, code.Length);
        }

        kind = CodeKind.Text;
        string text;
        try
        {
            text = RunnerArchive.StrictUtf8.GetString(code.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new RunnerLoadException(VmErrorText.InvalidContractNotUtf8Text, "contract code is neither zip, wasm nor UTF-8 text");
        }

        var (versionText, runnerJson) = ParseHeader(text);
        if (versionText is not null)
        {
            members[RunnerArchive.VersionMember] = Encoding.UTF8.GetBytes(versionText);
        }

        members[RunnerArchive.RunnerJsonMember] = Encoding.UTF8.GetBytes(runnerJson);
        return new RunnerArchive(members, code.Length);
    }

    /// <summary>
    /// Splits a text contract's comment header (runners.md §2): the maximal run of leading lines with the same
    /// prefix; a first remainder starting with <c>v</c> (after trimming) is the version text (untrimmed); the other
    /// remainders, concatenated without separators, are runner.json. Version null means the default <c>v0.1.0</c>.
    /// </summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract absent_runner_comment</c>.</exception>
    public static (string? VersionText, string RunnerJson) ParseHeader(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prefix = CommentPrefixes.FirstOrDefault(p => text.StartsWith(p, StringComparison.Ordinal))
            ?? throw new RunnerLoadException(VmErrorText.InvalidContractAbsentRunnerComment, "contract code does not start with a comment (//, # or --)");
        var remainders = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            remainders.Add(line[prefix.Length..]);
        }

        string? version = null;
        var jsonStart = 0;
        if (remainders[0].TrimStart().StartsWith('v'))
        {
            version = remainders[0];
            jsonStart = 1;
        }

        return (version, string.Concat(remainders.Skip(jsonStart)));
    }
}
