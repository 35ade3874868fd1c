namespace GenVm.Core.Host;

/// <summary>
/// Why an exchange with the host failed at the protocol level. Each of these is an executor internal error
/// (host-protocol.md §4, §7.3), never a VM error.
/// </summary>
internal enum HostProtocolErrorKind
{
    /// <summary>The socket could not be opened, or sending/receiving failed with a socket error.</summary>
    ConnectionFailed,

    /// <summary>The host closed the connection before the whole answer arrived (truncated answer).</summary>
    Disconnected,

    /// <summary>The error byte is not one of the values of host-protocol.md §4 (<c>invalid error id N</c>).</summary>
    InvalidErrorCode,

    /// <summary>A length announced by the host (or requested from it) exceeds <see cref="HostConnectionOptions.MaxAnswerLength"/>.</summary>
    AnswerTooLarge,

    /// <summary>The answer is well framed but its content violates the spec (e.g. an empty nondet result).</summary>
    InvalidAnswer,

    /// <summary>The host sent bytes that no request asked for (e.g. an answer to <c>consume_fuel</c>).</summary>
    UnexpectedData,

    /// <summary>The host did not answer within <see cref="HostConnectionOptions.ExchangeTimeout"/>.</summary>
    Timeout,

    /// <summary>
    /// An earlier exchange was cancelled or failed half-way, so the position in the byte stream is unknown and
    /// the connection cannot be used any more.
    /// </summary>
    Faulted,

    /// <summary><c>consume_result</c> was acknowledged; the executor stops talking to the host (host-protocol.md §2).</summary>
    Finished,
}
