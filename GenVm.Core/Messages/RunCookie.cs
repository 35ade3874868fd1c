using System.Security.Cryptography;
using System.Text;

namespace GenVm.Core.Messages;

/// <summary>The run's cookie, forwarded to the modules in the Hello to correlate logs (host-protocol.md §1.1).</summary>
internal static class RunCookie
{
    /// <summary>
    /// The default when <c>--cookie</c> is absent: 8 random octets, each as lowercase hex <em>without</em> zero padding,
    /// concatenated (8 to 16 characters).
    /// </summary>
    public static string Generate()
    {
        Span<byte> octets = stackalloc byte[8];
        RandomNumberGenerator.Fill(octets);
        return Format(octets);
    }

    /// <summary>Renders octets the way <see cref="Generate"/> does (e.g. <c>0a 00 ff</c> → <c>a0ff</c>).</summary>
    public static string Format(ReadOnlySpan<byte> octets)
    {
        var builder = new StringBuilder(octets.Length * 2);
        foreach (var octet in octets)
        {
            builder.Append(octet.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
