namespace GenVm.Modules.Llm;

/// <summary>A backend that survived startup filtering (modules.md §3.2), with its enabled models in config order.</summary>
/// <param name="Name">The backend name (a key of <c>backends</c>).</param>
/// <param name="Client">The dialect client.</param>
/// <param name="Models">Enabled models by name.</param>
/// <param name="InputTokenPrice">Price of one prompt token (<c>input_token_price</c>).</param>
/// <param name="OutputTokenPrice">Price of one completion token (<c>output_token_price</c>).</param>
internal sealed record LlmBackend(
    string Name,
    LlmProviderClient Client,
    IReadOnlyList<KeyValuePair<string, LlmModelOptions>> Models,
    decimal InputTokenPrice = 0,
    decimal OutputTokenPrice = 0)
{
    /// <summary>The price of a call with these token counts.</summary>
    public decimal Price(long promptTokens, long completionTokens) => (InputTokenPrice * promptTokens) + (OutputTokenPrice * completionTokens);

    /// <summary>
    /// The first model that can serve the request (modules.md §3.7: JSON/bool needs <c>supports_json</c>, images need
    /// <c>supports_image</c>), or null when this backend is not a candidate.
    /// </summary>
    public KeyValuePair<string, LlmModelOptions>? FirstMatchingModel(LlmFormat format, bool hasImages)
    {
        foreach (var model in Models)
        {
            if ((format == LlmFormat.Text || model.Value.SupportsJson) && (!hasImages || model.Value.SupportsImage))
            {
                return model;
            }
        }

        return null;
    }

    /// <summary>
    /// Startup filtering (modules.md §3.2): disabled backends and models are dropped, and so are backends with no model
    /// left or an empty key. Returns the names of dropped backends with the reason, for logging.
    /// </summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<KeyValuePair<string, LlmModelOptions>> Models)> Usable(
        LlmModuleOptions options, List<(string Name, string Reason)>? dropped = null)
    {
        var usable = new List<(string, IReadOnlyList<KeyValuePair<string, LlmModelOptions>>)>();
        foreach (var (name, backend) in options.Backends)
        {
            if (!backend.Enabled)
            {
                continue;
            }

            var models = backend.Models.Where(m => m.Value.Enabled)
                .Select(m => new KeyValuePair<string, LlmModelOptions>(Transport.ModuleConfigLoader.RestoreKey(m.Key), m.Value))
                .ToList();
            if (models.Count == 0)
            {
                dropped?.Add((name, "models are empty"));
            }
            else if (backend.Key.Length == 0)
            {
                dropped?.Add((name, "could not detect key for backend"));
            }
            else
            {
                usable.Add((name, models));
            }
        }

        return usable;
    }
}
