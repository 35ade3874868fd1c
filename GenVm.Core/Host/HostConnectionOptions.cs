namespace GenVm.Core.Host;

/// <summary>Limits of a <see cref="HostConnection"/>. The reference has none of these; they only guard against a broken host.</summary>
internal sealed class HostConnectionOptions
{
    /// <summary>The default of <see cref="MaxAnswerLength"/>: 256 MiB.</summary>
    public const int DefaultMaxAnswerLength = 256 * 1024 * 1024;

    /// <summary>
    /// The largest byte string accepted in one answer (<c>bytes</c> length prefixes, and the <c>len</c> of a
    /// <c>storage_read</c>). A larger length is refused before anything is allocated
    /// (<see cref="HostProtocolErrorKind.AnswerTooLarge"/>). Must be positive.
    /// </summary>
    public int MaxAnswerLength { get; init; } = DefaultMaxAnswerLength;

    /// <summary>
    /// How long one exchange may wait for the host; null (the default, as in the reference) waits forever and only
    /// the caller's token ends the wait.
    /// </summary>
    public TimeSpan? ExchangeTimeout { get; init; }

    /// <summary>The clock used for <see cref="ExchangeTimeout"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
