using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GenVm.Core.Host;

/// <summary>
/// Turns the <c>--host</c> option into a socket end point (host-protocol.md §1.1): <c>unix://&lt;path&gt;</c> is a
/// Unix stream socket, anything else is a TCP <c>host:port</c>.
/// </summary>
internal static class HostEndpoint
{
    /// <summary>The prefix selecting a Unix domain socket.</summary>
    public const string UnixPrefix = "unix://";

    /// <summary>Parses <paramref name="uri"/>.</summary>
    /// <exception cref="FormatException">The text is neither <c>unix://path</c> nor <c>host:port</c>.</exception>
    public static EndPoint Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            var path = uri[UnixPrefix.Length..];
            if (path.Length == 0)
            {
                throw new FormatException($"invalid host address `{uri}`: empty unix socket path");
            }

            return new UnixDomainSocketEndPoint(path);
        }

        // The port follows the last colon; an IPv6 literal is written in brackets ("[::1]:3000").
        var colon = uri.LastIndexOf(':');
        if (colon <= 0 || colon == uri.Length - 1)
        {
            throw new FormatException($"invalid host address `{uri}`: expected unix://<path> or <host>:<port>");
        }

        var hostPart = uri[..colon];
        if (!ushort.TryParse(uri.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new FormatException($"invalid host address `{uri}`: bad port");
        }

        if (hostPart.Length >= 2 && hostPart[0] == '[' && hostPart[^1] == ']')
        {
            return IPAddress.TryParse(hostPart.AsSpan(1, hostPart.Length - 2), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(v6, port)
                : throw new FormatException($"invalid host address `{uri}`: bad IPv6 literal");
        }

        if (hostPart.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException($"invalid host address `{uri}`: an IPv6 address needs brackets");
        }

        return IPAddress.TryParse(hostPart, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(hostPart, port);
    }
}
