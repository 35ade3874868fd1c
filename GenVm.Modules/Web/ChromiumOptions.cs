using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Web;

/// <summary>Our Chromium renderer (the reference's render service, modules.md §4.4, in process).</summary>
public sealed class ChromiumOptions
{
    /// <summary><c>browser</c>: the Chromium executable; empty → <c>chromium</c>, then <c>chromium-browser</c>, on PATH. <c>none</c> → AngleSharp.</summary>
    [ConfigurationKeyName("browser")]
    public string Browser { get; set; } = "";

    /// <summary><c>browser_pool_size</c>: browser processes; each serves one render at a time.</summary>
    [ConfigurationKeyName("browser_pool_size")]
    [Range(1, 32)]
    public int PoolSize { get; set; } = 2;

    /// <summary><c>load_timeout</c>: navigation bound (the service's <c>loadTimeout</c> default, 30 s).</summary>
    [ConfigurationKeyName("load_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>browser_start_timeout</c>: how long a browser may take to open its DevTools endpoint.</summary>
    [ConfigurationKeyName("browser_start_timeout")]
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
