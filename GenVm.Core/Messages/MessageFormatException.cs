namespace GenVm.Core.Messages;

/// <summary>
/// The <c>--message</c> JSON is malformed or violates the schema of host-protocol.md §10. The executor aborts at
/// start-up with this message on stderr (host-protocol.md §1.2).
/// </summary>
internal sealed class MessageFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageFormatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
