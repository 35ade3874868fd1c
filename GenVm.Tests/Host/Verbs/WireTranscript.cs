using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// A golden byte transcript of one <c>genvm run</c> (host-protocol.md §2, §5, §7.1), written by hand from the spec.
/// Format, one item per line:
/// <list type="bullet">
/// <item><c># text</c>: a comment (also after any line);</item>
/// <item><c>= NAME hex</c>: defines <c>{NAME}</c> for later lines;</item>
/// <item><c>&gt; hex</c>: one whole request the executor must send, byte for byte;</item>
/// <item><c>&lt; hex</c>: octets the host sends back.</item>
/// </list>
/// Hex may contain spaces and <c>{NAME}</c> references; <c>{len:NAME}</c> is the u32 little-endian length of NAME.
/// Values that cannot be written by hand (the wasm a test compiles from WAT or C) come from the test.
/// </summary>
internal sealed partial class WireTranscript
{
    private WireTranscript(string name, IReadOnlyList<WireStep> steps)
    {
        Name = name;
        Steps = steps;
    }

    /// <summary>The file name without directory.</summary>
    public string Name { get; }

    /// <summary>The exchanges in order.</summary>
    public IReadOnlyList<WireStep> Steps { get; }

    /// <summary>The folder holding the transcripts.</summary>
    public static string Directory => Path.Combine(RepositoryRoot.Path, "GenVm.Tests", "Host", "Verbs", "Transcripts");

    /// <summary>Loads <c>Transcripts/<paramref name="name"/></c> with <paramref name="values"/> for the test-supplied names.</summary>
    public static WireTranscript Load(string name, IReadOnlyDictionary<string, byte[]>? values = null)
        => Parse(name, File.ReadAllText(Path.Combine(Directory, name)), values);

    /// <summary>Parses transcript text.</summary>
    public static WireTranscript Parse(string name, string text, IReadOnlyDictionary<string, byte[]>? values = null)
    {
        var names = new Dictionary<string, byte[]>(values ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
        var steps = new List<WireStep>();
        var lastComment = string.Empty;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var comment = hash >= 0 ? line[(hash + 1)..].Trim() : string.Empty;
            var body = (hash >= 0 ? line[..hash] : line).Trim();
            if (body.Length == 0)
            {
                if (comment.Length > 0)
                {
                    lastComment = comment;
                }

                continue;
            }

            var where = $"{name}:{i + 1}";
            switch (body[0])
            {
                case '=':
                    var parts = body[1..].Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
                    names[parts[0]] = Octets(parts.Length > 1 ? parts[1] : string.Empty, names, where);
                    break;
                case '>' or '<':
                    steps.Add(new WireStep(body[0] == '>', Octets(body[1..], names, where), i + 1, comment.Length > 0 ? comment : lastComment));
                    break;
                default:
                    throw new FormatException($"{where}: a line must start with #, =, > or <");
            }
        }

        return new WireTranscript(name, steps);
    }

    private static byte[] Octets(string hex, Dictionary<string, byte[]> names, string where)
    {
        var output = new List<byte>();
        var position = 0;
        foreach (Match reference in Reference().Matches(hex))
        {
            output.AddRange(Plain(hex[position..reference.Index], where));
            var key = reference.Groups["name"].Value;
            if (!names.TryGetValue(key, out var value))
            {
                throw new FormatException($"{where}: undefined name {{{key}}}");
            }

            output.AddRange(reference.Groups["len"].Success ? BitConverter.GetBytes((uint)value.Length) : value);
            position = reference.Index + reference.Length;
        }

        output.AddRange(Plain(hex[position..], where));
        return [.. output];
    }

    private static byte[] Plain(string hex, string where)
    {
        var digits = new StringBuilder();
        foreach (var c in hex)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{where}: not a hex digit: '{c}'"));
            }

            digits.Append(c);
        }

        return digits.Length % 2 == 0 ? Convert.FromHexString(digits.ToString()) : throw new FormatException($"{where}: odd number of hex digits");
    }

    [GeneratedRegex(@"\{(?<len>len:)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
