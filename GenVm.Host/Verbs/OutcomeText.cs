using System.Globalization;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;
using GenVm.Core.Supervisor;

namespace GenVm.Host.Verbs;

/// <summary>The lines <c>run</c> and <c>exec</c> print after a transaction (host-protocol.md §9, calldata.md §9.1).</summary>
internal static class OutcomeText
{
    /// <summary>
    /// ``executed with `…` `` and <c>nondet disagreement: N</c> when <paramref name="result"/>; <c>Fingerprint: …</c>
    /// when <paramref name="fingerprint"/>. Each line ends with <c>\n</c>; empty when neither is asked for.
    /// </summary>
    public static string Format(TransactionOutcome outcome, bool result, bool fingerprint)
    {
        var text = new StringBuilder();
        var r = outcome.Result;
        if (result)
        {
            text.Append(r.Kind switch
            {
                ResultCode.Return => ResultLineFormatter.FormatReturn(r.ReturnCalldata.Span),
                ResultCode.UserError => ResultLineFormatter.FormatUserError(r.Message),
                ResultCode.VmError => ResultLineFormatter.FormatVmError(r.Message),
                _ => ResultLineFormatter.FormatInternalError(),
            }).Append('\n');

            // §9: the disagreement line follows the result line.
            if (outcome.Disagreement is { } callNo)
            {
                text.Append("nondet disagreement: ").Append(callNo.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        if (fingerprint)
        {
            // UNKNOWN (§9): the reference prints Rust's Debug rendering; we print the calldata text form.
            text.Append("Fingerprint: ")
                .Append(r.Fingerprint is { } fp ? "Some(" + CalldataText.Print(fp.ToCalldata()) + ")" : "None")
                .Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The <c>--print stderr-full</c> line: the whole run result. The reference prints its Rust <c>Debug</c> rendering,
    /// which the spec leaves UNKNOWN (stderr is never compared, testdata.md §8); ours has the same shape:
    /// <c>Ok((&lt;result&gt;, &lt;fingerprint&gt;, &lt;disagreement&gt;))</c>, or <c>Err(&lt;error chain&gt;)</c> for an internal
    /// error or a run that could not report (docs/decisions.md).
    /// </summary>
    public static string FormatFull(TransactionOutcome? outcome, string? failure)
    {
        if (outcome is null || outcome.Result.Kind == ResultCode.InternalError)
        {
            return "Err(" + (outcome?.Result.Message ?? failure ?? string.Empty) + ")";
        }

        var r = outcome.Result;
        var result = r.Kind switch
        {
            ResultCode.Return => ResultLineFormatter.FormatReturn(r.ReturnCalldata.Span),
            ResultCode.UserError => ResultLineFormatter.FormatUserError(r.Message),
            _ => ResultLineFormatter.FormatVmError(r.Message),
        };

        // The result line is "executed with `<result>`": keep the part between the backticks.
        var start = result.IndexOf('`', StringComparison.Ordinal) + 1;
        var body = result[start..result.LastIndexOf('`')];
        var fingerprint = r.Fingerprint is { } fp ? "Some(" + CalldataText.Print(fp.ToCalldata()) + ")" : "None";
        var disagreement = outcome.Disagreement is { } callNo ? "Some(" + callNo.ToString(CultureInfo.InvariantCulture) + ")" : "None";
        return $"Ok(({body}, {fingerprint}, {disagreement}))";
    }
}
