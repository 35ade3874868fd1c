using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The host broke the wire protocol or the connection (truncated, oversized or unexpected data, an unknown error
/// byte, a disconnect). The executor treats it as an internal error; it is never turned into a <c>VMError</c>.
/// </summary>
internal sealed class HostProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HostProtocolException(HostProtocolErrorKind kind, HostMethod? method, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Method = method;
    }

    /// <summary>What went wrong.</summary>
    public HostProtocolErrorKind Kind { get; }

    /// <summary>The method whose exchange failed; null when no exchange was running (e.g. while connecting).</summary>
    public HostMethod? Method { get; }
}
