using System.Text;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>The outcome of one <c>.wast</c> script: command counts and the failures with their lines.</summary>
internal sealed class SpecFileResult
{
    /// <summary>Creates an empty result for <paramref name="file"/>.</summary>
    public SpecFileResult(string file) => File = file;

    /// <summary>The script's name relative to the suite folder, e.g. <c>tail-call/return_call.wast</c>.</summary>
    public string File { get; }

    /// <summary>Commands that did what the script expects.</summary>
    public int Passed { get; set; }

    /// <summary>Commands skipped through the skip list.</summary>
    public int Skipped { get; set; }

    /// <summary>assert_malformed on text modules: text-format errors, not a binary engine's concern.</summary>
    public int TextOnly { get; set; }

    /// <summary>Commands that passed, but whose error text differs from the script's (reported, not failed).</summary>
    public int MessageMismatches { get; set; }

    /// <summary>The message differences as <c>file:line: expected … got …</c>.</summary>
    public List<string> MessageDifferences { get; } = [];

    /// <summary>Failures as <c>file:line: command: detail</c>, in script order.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Number of failed commands.</summary>
    public int Failed => Failures.Count;

    /// <summary>A one-line summary.</summary>
    public string Summary =>
        $"{File}: {Passed} passed, {Failed} failed, {Skipped} skipped, {TextOnly} text-only (not applicable), {MessageMismatches} message differences";

    /// <summary>The summary plus the first <paramref name="max"/> failures.</summary>
    public string Describe(int max = 20)
    {
        var sb = new StringBuilder(Summary);
        foreach (var failure in Failures.Take(max))
        {
            sb.Append('\n').Append("  ").Append(failure);
        }

        if (Failures.Count > max)
        {
            sb.Append('\n').Append($"  ... and {Failures.Count - max} more");
        }

        return sb.ToString();
    }
}
