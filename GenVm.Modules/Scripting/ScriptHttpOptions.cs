using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Scripting;

/// <summary>
/// Bounds on the scripts' <c>request</c> host function. The reference has none (modules.md §4.5: no timeout, no size
/// limit); ours are documented in docs/decisions.md "Web: request bounds".
/// </summary>
public sealed class ScriptHttpOptions
{
    /// <summary><c>request_timeout</c>: whole request including redirects and body.</summary>
    [ConfigurationKeyName("request_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>max_response_bytes</c>: larger bodies fail with <c>READING_BODY</c>.</summary>
    [ConfigurationKeyName("max_response_bytes")]
    [Range(1, int.MaxValue)]
    public int MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary><c>max_redirects</c>: hops followed (the reference's client follows 10).</summary>
    [ConfigurationKeyName("max_redirects")]
    [Range(0, 50)]
    public int MaxRedirects { get; set; } = 10;

    /// <summary><c>signer_url</c> (modules.md §4.6); may contain <c>#{var}</c>.</summary>
    [ConfigurationKeyName("signer_url")]
    public string SignerUrl { get; set; } = "";

    /// <summary><c>signer_headers</c>; values may contain <c>#{var}</c>.</summary>
    [ConfigurationKeyName("signer_headers")]
    public Dictionary<string, string> SignerHeaders { get; set; } = [];

    /// <summary><c>proxy</c>: optional outbound HTTP proxy URL for requests and the browser.</summary>
    [ConfigurationKeyName("proxy")]
    public string Proxy { get; set; } = "";
}
