using GenVm.Core.Supervisor;

namespace GenVm.Core.Pool;

/// <summary>How one execution of an <see cref="ExecutionPool"/> ended.</summary>
internal sealed class ExecutionResult
{
    /// <summary>The result reported to the host with <c>consume_result</c>; null when <see cref="Failure"/> is set.</summary>
    public TransactionOutcome? Outcome { get; init; }

    /// <summary>
    /// Why no result reached the host: it could not be reached, or the connection failed while delivering the result
    /// (<c>genvm run</c> exits 1). Null when <see cref="Outcome"/> is set.
    /// </summary>
    public string? Failure { get; init; }

    /// <summary>The guests' captured stdout (empty when the request gave a stream).</summary>
    public byte[] Stdout { get; init; } = [];

    /// <summary>The guests' captured stderr (empty when the request gave a stream).</summary>
    public byte[] Stderr { get; init; } = [];

    /// <summary>Whether captured output went past the capture limit and was cut.</summary>
    public bool OutputTruncated { get; init; }
}
