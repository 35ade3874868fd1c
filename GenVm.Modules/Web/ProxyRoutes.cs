using System.Globalization;
using System.Net;
using System.Text;

namespace GenVm.Modules.Web;

/// <summary>
/// The web module's outbound routes (<see cref="ProxyRoutingOptions"/>): an <see cref="IWebProxy"/> for the HTTP
/// handler, whose <see cref="ICredentials"/> hands each proxy its own user and password, and the same rules as a PAC
/// script for Chromium. Proxy URIs given out never carry the user information, so they can appear in logs and errors.
/// </summary>
internal sealed class ProxyRoutes : IWebProxy, ICredentials
{
    private readonly List<Route> _routes = [];
    private readonly Route? _default;

    /// <param name="defaultProxy"><c>proxy</c>: used for hosts no route matches; empty → direct.</param>
    /// <param name="routes"><c>proxy_routes</c>, in order.</param>
    /// <exception cref="ArgumentException">A route or the default proxy is malformed (the message holds no URL).</exception>
    public ProxyRoutes(string defaultProxy, IEnumerable<ProxyRouteOptions> routes)
    {
        var index = 0;
        foreach (var options in routes)
        {
            var (route, error) = ParseRoute(options.Host, options.Proxy);
            _routes.Add(route ?? throw new ArgumentException($"proxy_routes[{index}]: {error}"));
            index++;
        }

        if (defaultProxy.Length > 0)
        {
            var (route, error) = ParseRoute("*", defaultProxy);
            _default = route ?? throw new ArgumentException("proxy: " + error);
        }
    }

    /// <summary>True when every host goes direct (no proxy configured at all).</summary>
    public bool IsEmpty => _default is null && _routes.All(r => r.Proxy is null);

    /// <inheritdoc/>
    public ICredentials? Credentials
    {
        get => this;
        set => throw new NotSupportedException("proxy credentials come from the proxy URLs of the routes");
    }

    /// <summary>Parses one rule; exactly one of the results is non-null.</summary>
    public static (Route? Route, string? Error) ParseRoute(string host, string proxy)
    {
        host = host.Trim().ToLowerInvariant().Trim('[', ']');
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Any(c => c > 127))
        {
            try
            {
                name = new IdnMapping().GetAscii(name);
                host = host.StartsWith("*.", StringComparison.Ordinal) ? "*." + name : name;
            }
            catch (ArgumentException)
            {
                return (null, "host is not a valid name");
            }
        }

        if (host != "*" && (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':'))))
        {
            return (null, "host must be `*`, `*.domain` or a host name");
        }

        if (proxy.Trim().Equals("direct", StringComparison.OrdinalIgnoreCase))
        {
            return (new Route(host, null, null), null);
        }

        if (!Uri.TryCreate(proxy.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "socks5" or "socks4" or "socks4a") || uri.Host.Length == 0
            || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0) || uri.Query.Length > 0)
        {
            return (null, "proxy must be `direct` or a URL http://[user:password@]host:port (or socks5://, socks4://, socks4a://)");
        }

        NetworkCredential? credential = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            credential = colon < 0
                ? new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo), "")
                : new NetworkCredential(Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }

        var bare = new UriBuilder(uri.Scheme, uri.Host, uri.Port).Uri;
        return (new Route(host, bare, credential), null);
    }

    /// <summary>The proxy for <paramref name="host"/> (lower-case, punycode, no brackets), or null for direct.</summary>
    public Uri? ProxyFor(string host)
    {
        host = host.ToLowerInvariant();
        foreach (var route in _routes)
        {
            if (route.Matches(host))
            {
                return route.Proxy;
            }
        }

        return _default?.Proxy;
    }

    /// <inheritdoc/>
    public Uri? GetProxy(Uri destination) => ProxyFor(UrlPolicy.HostOf(destination));

    /// <inheritdoc/>
    public bool IsBypassed(Uri host) => GetProxy(host) is null;

    /// <summary>The user and password for the proxy at <paramref name="proxy"/> (any path ignored), or null.</summary>
    public NetworkCredential? CredentialFor(Uri proxy)
    {
        foreach (var route in _routes.Append(_default))
        {
            if (route?.Proxy is { } p && route.Credential is { } credential
                && string.Equals(p.Host, proxy.Host, StringComparison.OrdinalIgnoreCase) && p.Port == proxy.Port)
            {
                return credential;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public NetworkCredential? GetCredential(Uri uri, string authType) => CredentialFor(uri);

    /// <summary>
    /// The routes as a proxy auto-config script for Chromium (<c>--proxy-pac-url</c>): the same first-match rules,
    /// no credentials (Chromium asks for them through the DevTools <c>Fetch.authRequired</c> event).
    /// </summary>
    public string PacScript()
    {
        var script = new StringBuilder("function FindProxyForURL(url, host) {\n  host = host.toLowerCase();\n");
        foreach (var route in _routes)
        {
            script.Append("  if (").Append(route.PacCondition()).Append(") return ").Append(Pac(route.Proxy)).Append(";\n");
        }

        script.Append("  return ").Append(Pac(_default?.Proxy)).Append(";\n}\n");
        return script.ToString();
    }

    private static string Pac(Uri? proxy)
    {
        if (proxy is null)
        {
            return "\"DIRECT\"";
        }

        var kind = proxy.Scheme switch
        {
            "socks5" => "SOCKS5",
            "socks4" or "socks4a" => "SOCKS",
            _ => "PROXY",
        };
        var host = proxy.HostNameType == UriHostNameType.IPv6 ? proxy.Host : proxy.IdnHost;
        return "\"" + kind + " " + host + ":" + proxy.Port.ToString(CultureInfo.InvariantCulture) + "\"";
    }

    /// <summary>One rule: a host pattern and a proxy (null = direct) with its credential.</summary>
    internal sealed record Route(string Pattern, Uri? Proxy, NetworkCredential? Credential)
    {
        /// <summary>Whether <paramref name="host"/> (lower-case) matches the pattern.</summary>
        public bool Matches(string host)
            => Pattern == "*"
                || (Pattern.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(Pattern[1..], StringComparison.Ordinal) : host == Pattern);

        /// <summary>The same test in JavaScript (the pattern is validated: letters, digits, dots, dashes, colons).</summary>
        public string PacCondition()
        {
            var literal = System.Text.Json.JsonSerializer.Serialize(Pattern.StartsWith("*.", StringComparison.Ordinal) ? Pattern[1..] : Pattern);
            return Pattern == "*" ? "true"
                : Pattern.StartsWith("*.", StringComparison.Ordinal) ? $"host.length > {literal}.length && host.slice(-{literal}.length) === {literal}"
                : $"host === {literal}";
        }
    }
}
