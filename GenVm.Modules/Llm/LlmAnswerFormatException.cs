namespace GenVm.Modules.Llm;

/// <summary>
/// A malformed provider answer that is not a module error (modules.md §3.4: <c>can't get response field …</c>,
/// <c>parsing "…"</c>, a fractional number): the reference re-raises it, so the module answers <c>FatalError</c>
/// without trying another backend (§3.7).
/// </summary>
internal sealed class LlmAnswerFormatException : Exception
{
    public LlmAnswerFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
