using GenVm.Core.Calldata;

namespace GenVm.Modules.Llm;

/// <summary>
/// A "module error" of a provider call (modules.md §3.4: <c>SENDING_REQUEST</c>, <c>READING_BODY</c>,
/// <c>STATUS_NOT_OK</c>, <c>INVALID_IMAGE</c>): the selection loop logs it and moves to the next backend (§3.7).
/// The message and <see cref="Context"/> never contain the backend key.
/// </summary>
internal sealed class LlmProviderException : Exception
{
    public LlmProviderException(string cause, CalldataMap context, int? status, Exception? innerException = null)
        : base(status is { } s ? $"{cause} (status {s})" : cause, innerException)
    {
        Cause = cause;
        Context = context;
        Status = status;
    }

    /// <summary>The single cause tag.</summary>
    public string Cause { get; }

    /// <summary>The <c>ctx</c> map (url, status, headers, body, rust_error as applicable).</summary>
    public CalldataMap Context { get; }

    /// <summary>The HTTP status when there was one (§3.7 decides the log level on it).</summary>
    public int? Status { get; }

    /// <summary>Statuses the reference logs as "overloaded" (modules.md §3.7).</summary>
    public bool IsOverloaded => Status is 408 or 429 or 503 or 504 or 529;
}
