using System.Globalization;
using System.Text;

namespace GenVm.Core.Messages;

/// <summary>
/// The transaction time, exact to the nanosecond (RFC 3339 allows more digits than <see cref="DateTime"/> keeps):
/// seconds since the Unix epoch in UTC plus the sub-second nanoseconds.
/// </summary>
/// <param name="UnixSeconds">Whole seconds since 1970-01-01T00:00:00Z.</param>
/// <param name="Nanosecond">Sub-second part, 0 ..= 999 999 999.</param>
internal readonly record struct MessageDatetime(long UnixSeconds, int Nanosecond)
{
    private const int NanosPerSecond = 1_000_000_000;

    /// <summary>The default of host-protocol.md §10: <c>2024-11-26T06:42:42.424242Z</c>.</summary>
    public static MessageDatetime Default { get; } = Parse("2024-11-26T06:42:42.424242Z");

    /// <summary>Nanoseconds since the Unix epoch (what WASI clocks report, wasm-abi.md §9.3).</summary>
    public Int128 UnixNanoseconds => ((Int128)UnixSeconds * NanosPerSecond) + Nanosecond;

    /// <summary>The same instant as a <see cref="DateTimeOffset"/> in UTC (truncated to 100 ns ticks).</summary>
    public DateTimeOffset ToDateTimeOffset()
        => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).AddTicks(Nanosecond / 100);

    /// <summary>
    /// RFC 3339 in UTC with <c>Z</c> and "auto" sub-second digits: none when zero, else the shortest of 3, 6 or 9
    /// digits that is exact (calldata.md §7), e.g. <c>2024-11-26T06:42:42.424242Z</c>.
    /// </summary>
    public string ToRfc3339()
    {
        var builder = new StringBuilder(30);
        builder.Append(DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture));
        if (Nanosecond != 0)
        {
            var digits = Nanosecond.ToString("D9", CultureInfo.InvariantCulture);
            var length = Nanosecond % 1_000_000 == 0 ? 3 : Nanosecond % 1_000 == 0 ? 6 : 9;
            builder.Append('.').Append(digits, 0, length);
        }

        return builder.Append('Z').ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToRfc3339();

    /// <summary>Parses like <see cref="TryParse"/>; throws <see cref="FormatException"/> on failure.</summary>
    public static MessageDatetime Parse(string text)
        => TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>
    /// Parses an RFC 3339 date-time <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c> and converts it to UTC.
    /// Also accepted, like the reference's parser: <c>t</c> or a space as separator, lowercase <c>z</c>, and an
    /// offset without colon (<c>±HHMM</c>). Fraction digits beyond the ninth are ignored; leap second 60 is refused
    /// (docs/decisions.md).
    /// </summary>
    public static bool TryParse(string text, out MessageDatetime value, out string error)
    {
        value = default;
        var s = text.AsSpan();
        error = $"invalid RFC 3339 date-time `{text}`";
        if (s.Length < 20
            || !Digits(s, 0, 4, out var year) || s[4] != '-'
            || !Digits(s, 5, 2, out var month) || s[7] != '-'
            || !Digits(s, 8, 2, out var day)
            || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
            || !Digits(s, 11, 2, out var hour) || s[13] != ':'
            || !Digits(s, 14, 2, out var minute) || s[16] != ':'
            || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var pos = 19;
        var nanos = 0;
        if (s[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                if (pos - start < 9)
                {
                    nanos = (nanos * 10) + (s[pos] - '0');
                }

                pos++;
            }

            var count = pos - start;
            if (count == 0)
            {
                return false;
            }

            for (var i = count; i < 9; i++)
            {
                nanos *= 10;
            }
        }

        if (pos >= s.Length)
        {
            return false;
        }

        int offsetMinutes;
        var zone = s[pos..];
        if (zone is "Z" or "z")
        {
            offsetMinutes = 0;
        }
        else if ((zone[0] == '+' || zone[0] == '-')
            && ((zone.Length == 6 && zone[3] == ':' && Digits(zone, 1, 2, out var oh) && Digits(zone, 4, 2, out var om))
                || (zone.Length == 5 && Digits(zone, 1, 2, out oh) && Digits(zone, 3, 2, out om))))
        {
            if (oh > 23 || om > 59)
            {
                return false;
            }

            offsetMinutes = (zone[0] == '-' ? -1 : 1) * ((oh * 60) + om);
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            error = $"invalid RFC 3339 date-time `{text}`: field out of range";
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        var utcSeconds = new DateTimeOffset(local, TimeSpan.Zero).ToUnixTimeSeconds() - (offsetMinutes * 60L);
        if (utcSeconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || utcSeconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            // An offset can move year 9999 or year 1 out of the representable UTC range (docs/decisions.md, Message JSON).
            error = $"invalid RFC 3339 date-time `{text}`: out of range in UTC";
            return false;
        }

        value = new MessageDatetime(utcSeconds, nanos);
        error = string.Empty;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }
}
