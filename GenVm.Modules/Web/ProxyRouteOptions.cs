using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Web;

/// <summary>One entry of <c>proxy_routes</c>: requests to hosts matching <see cref="Host"/> go through <see cref="Proxy"/>.</summary>
public sealed class ProxyRouteOptions
{
    /// <summary>
    /// <c>host</c>: <c>*</c> (every host), <c>*.example.com</c> (every subdomain, at any depth, not
    /// <c>example.com</c> itself) or an exact host (<c>example.com</c>, <c>127.0.0.1</c>); case-insensitive.
    /// </summary>
    [ConfigurationKeyName("host")]
    public string Host { get; set; } = "";

    /// <summary><c>proxy</c>: <c>direct</c>, or a proxy URL <c>http://[user:password@]host:port</c> or <c>socks5://…</c>.</summary>
    [ConfigurationKeyName("proxy")]
    public string Proxy { get; set; } = "";
}
