using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Web;

/// <summary>
/// Per-host outbound routing of the web module, for requests and the browser alike (the seeds' "proxy and routing
/// configuration"; docs/decisions.md "Web: per-host proxy routing"). The first matching route wins; a host no route
/// matches uses <c>proxy</c> (<see cref="Scripting.ScriptHttpOptions.Proxy"/>), or goes direct when that is empty.
/// </summary>
public sealed class ProxyRoutingOptions : IValidatableObject
{
    /// <summary><c>proxy_routes</c>: the rules, in order.</summary>
    [ConfigurationKeyName("proxy_routes")]
    public List<ProxyRouteOptions> Routes { get; set; } = [];

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Routes.Count; i++)
        {
            // Messages name the entry, never its URL: it may hold credentials.
            if (ProxyRoutes.ParseRoute(Routes[i].Host, Routes[i].Proxy) is { Error: { } error })
            {
                yield return new ValidationResult($"proxy_routes[{i}]: {error}", [nameof(Routes)]);
            }
        }
    }
}
