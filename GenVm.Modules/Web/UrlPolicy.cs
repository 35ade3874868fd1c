using System.Net;
using System.Net.Sockets;
using GenVm.Modules.Scripting;

namespace GenVm.Modules.Web;

/// <summary>
/// The web module's URL policy (modules.md §4.3): http/https only, <c>always_allow_hosts</c>, ports 80/443, the TLD
/// allow-list. Beyond the reference it is applied to every redirect hop and every browser request, and addresses a
/// name resolves to are checked at connect time: loopback, private, link-local and other special ranges are refused
/// with <c>ADDRESS_FORBIDDEN</c> unless the host is in <c>always_allow_hosts</c> (docs/decisions.md "Web: URL policy").
/// </summary>
internal sealed class UrlPolicy : IUrlHopPolicy
{
    /// <summary>Cause tag for a host resolving to a forbidden address (ours; the reference has no such check).</summary>
    public const string AddressForbidden = "ADDRESS_FORBIDDEN";

    private readonly HashSet<string> _allowedTlds;
    private readonly HashSet<string> _alwaysAllow;
    private readonly Uri? _renderService;

    /// <param name="extraTlds"><c>extra_tld</c>.</param>
    /// <param name="alwaysAllowHosts"><c>always_allow_hosts</c> (exact host match).</param>
    /// <param name="renderService">The in-process render service origin (always allowed; it never leaves the process).</param>
    public UrlPolicy(IEnumerable<string> extraTlds, IEnumerable<string> alwaysAllowHosts, Uri? renderService)
    {
        _allowedTlds = new HashSet<string>(TopLevelDomains.BuiltIn, StringComparer.Ordinal);
        foreach (var tld in extraTlds)
        {
            _allowedTlds.Add(tld.ToLowerInvariant());
        }

        _alwaysAllow = new HashSet<string>(alwaysAllowHosts.Select(h => h.ToLowerInvariant()), StringComparer.Ordinal);
        _renderService = renderService;
    }

    /// <summary>The allowed TLDs (built-in ∪ <c>extra_tld</c>), for <c>__web.allowed_tld</c>.</summary>
    public IReadOnlySet<string> AllowedTlds => _allowedTlds;

    /// <summary>Whether <paramref name="host"/> is exempt from port, TLD and address checks.</summary>
    public bool IsAlwaysAllowed(string host) => _alwaysAllow.Contains(host.ToLowerInvariant());

    /// <summary>Checks a URL given as text (what scripts pass): parse, scheme, port, TLD.</summary>
    public LuaModuleError? Check(string url)
    {
        // .NET reads "/path" as a file URI on Unix; a URL without an explicit scheme is malformed here, as in the
        // reference's WHATWG parser.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var hasScheme = colon > 0 && char.IsAsciiLetter(url[0]) && url[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        if (!hasScheme || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme is "http" or "https" && parsed.Host.Length == 0))
        {
            return LuaModuleError.Create("MALFORMED_URL", false, ("url", url));
        }

        return Check(parsed, url);
    }

    /// <inheritdoc/>
    public LuaModuleError? Check(Uri url) => Check(url, url.OriginalString);

    private LuaModuleError? Check(Uri url, string text)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            return LuaModuleError.Create("SCHEMA_FORBIDDEN", false, ("schema", url.Scheme), ("url", text));
        }

        if (_renderService is not null && Uri.Compare(url, _renderService, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return null;
        }

        // The punycode host without IPv6 brackets, like the reference's parser gives it.
        var host = HostOf(url);
        if (_alwaysAllow.Contains(host) || _alwaysAllow.Contains(url.Host.ToLowerInvariant()))
        {
            return null;
        }

        if (!url.IsDefaultPort && url.Port is not (80 or 443))
        {
            return LuaModuleError.Create("PORT_FORBIDDEN", false, ("port", (long)url.Port), ("url", text));
        }

        var dot = host.LastIndexOf('.');
        var tld = dot < 0 ? host : host[(dot + 1)..];
        if (!_allowedTlds.Contains(tld))
        {
            return LuaModuleError.Create("TLD_FORBIDDEN", false, ("tld", tld), ("url", text));
        }

        return null;
    }

    /// <summary>
    /// Connect-time check of a resolved address for <paramref name="host"/>; null when allowed.
    /// </summary>
    public LuaModuleError? CheckAddress(string host, IPAddress address, string url)
    {
        if (IsAlwaysAllowed(host) || !IsSpecial(address))
        {
            return null;
        }

        return LuaModuleError.Create(AddressForbidden, false, ("address", address.ToString()), ("host", host), ("url", url));
    }

    /// <summary>
    /// Resolves <paramref name="host"/> and returns the addresses, or the module error when any of them is forbidden
    /// (all are checked, so a name with one public and one private address is refused).
    /// </summary>
    public async Task<(IPAddress[] Addresses, LuaModuleError? Error)> ResolveAsync(string host, string url, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (CheckAddress(host, address, url) is { } error)
            {
                return (addresses, error);
            }
        }

        return (addresses, null);
    }

    /// <summary>A connect callback for <see cref="SocketsHttpHandler"/> that applies <see cref="ResolveAsync"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var target = context.InitialRequestMessage.RequestUri;
        var url = target?.ToString() ?? host;
        IPAddress[] addresses;
        if (target is not null && (!string.Equals(HostOf(target), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) || target.Port != context.DnsEndPoint.Port))
        {
            // A connection to a configured proxy (operator-trusted, often on a private address); the target's addresses
            // are checked before the request is sent (ProxyTargetCheck).
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LuaModuleError? error;
            (addresses, error) = await ResolveAsync(host, url, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                throw new UrlPolicyException(error);
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Lower-case punycode host without IPv6 brackets.</summary>
    public static string HostOf(Uri url) => url.IdnHost.Trim('[', ']').ToLowerInvariant();

    /// <summary>Loopback, private, link-local, CGNAT, unspecified, multicast, broadcast, documentation and ULA ranges.</summary>
    public static bool IsSpecial(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113);
        }

        var bytes = address.GetAddressBytes();
        return address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (bytes[0] & 0xFE) == 0xFC
            || (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8)
            || (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B);
    }
}
