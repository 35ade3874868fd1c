using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Web;

/// <summary>
/// Bounds of the AngleSharp renderer, used for <c>text</c> and <c>html</c> renders when no browser is configured
/// (docs/decisions.md "Web: AngleSharp renderer"). Bound from the top level of the web module's configuration.
/// </summary>
public sealed class StaticRendererOptions
{
    /// <summary><c>load_timeout</c>: the whole fetch, redirects and body included (shared with the browser's navigation bound).</summary>
    [ConfigurationKeyName("load_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>max_document_bytes</c>: a larger (decoded) document is a navigation failure (status 418).</summary>
    [ConfigurationKeyName("max_document_bytes")]
    [Range(1, int.MaxValue)]
    public int MaxDocumentBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary><c>max_document_redirects</c>: redirect hops followed (Chromium stops after 20).</summary>
    [ConfigurationKeyName("max_document_redirects")]
    [Range(0, 50)]
    public int MaxRedirects { get; set; } = 20;
}
