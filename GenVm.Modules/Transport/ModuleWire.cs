using System.Globalization;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;

namespace GenVm.Modules.Transport;

/// <summary>
/// The executor ↔ module messages of modules.md §2 as calldata values: Hello, the LLM and web requests, and the
/// <c>Ok</c> / <c>UserError</c> / <c>FatalError</c> envelope.
/// </summary>
internal static class ModuleWire
{
    /// <summary><c>{"Ok": value}</c>.</summary>
    public static CalldataValue Ok(CalldataValue value) => CalldataValue.FromMap(("Ok", value));

    /// <summary><c>{"UserError": value}</c>.</summary>
    public static CalldataValue UserError(CalldataValue value) => CalldataValue.FromMap(("UserError", value));

    /// <summary><c>{"FatalError": text}</c>.</summary>
    public static CalldataValue Fatal(string text) => CalldataValue.FromMap(("FatalError", text));

    /// <summary>Reads a Hello (§2.3): <c>{cookie, host_data}</c>.</summary>
    /// <exception cref="FormatException">Not a Hello.</exception>
    public static ModuleHello ParseHello(CalldataValue value)
    {
        var map = value as CalldataMap ?? throw new FormatException("Hello must be a map");
        var cookie = map.TryGetValue("cookie", out var c) && c is CalldataString s ? s.Value : "";
        var hostData = map.TryGetValue("host_data", out var h) && h is CalldataMap m ? m : throw new FormatException("Hello without host_data");
        return new ModuleHello(cookie, hostData);
    }

    /// <summary>
    /// Reads a module's answer envelope: the <c>Ok</c> value, or null with <paramref name="userError"/> set.
    /// </summary>
    /// <exception cref="ModuleFatalException"><c>FatalError</c> (as the executor words it, §2.3) or a malformed envelope.</exception>
    public static CalldataValue? ReadEnvelope(CalldataValue envelope, out CalldataValue? userError)
    {
        userError = null;
        if (envelope is CalldataMap { Count: 1 } map)
        {
            var (key, value) = (map.GetKey(0), map.GetValue(0));
            switch (key)
            {
                case "Ok":
                    return value;
                case "UserError":
                    userError = value;
                    return null;
                case "FatalError":
                    throw new ModuleFatalException("module error: " + (value is CalldataString s ? s.Value : value.ToString()));
            }
        }

        throw new ModuleFatalException("module answered a malformed envelope");
    }

    /// <summary>Reads <c>PromptPayload</c> (§2.5).</summary>
    public static LlmPromptPayload ParsePrompt(CalldataMap payload)
    {
        var prompt = payload["prompt"].AsString();
        var images = payload.TryGetValue("images", out var i) ? i.AsArray().Select(x => x.AsBytes()).ToList() : [];
        var format = payload.TryGetValue("response_format", out var f) && !f.IsNull
            ? f.AsString() switch
            {
                "text" => LlmResponseFormat.Text,
                "json" => LlmResponseFormat.Json,
                var other => throw new FormatException($"unknown response_format `{other}`"),
            }
            : LlmResponseFormat.Text;
        return new LlmPromptPayload(prompt, images, format);
    }

    /// <summary>Reads <c>PromptTemplatePayload</c> (§2.5, internally tagged by <c>template</c>).</summary>
    public static LlmTemplatePayload ParseTemplate(CalldataMap payload)
    {
        string Text(string name) => payload[name].AsString();
        return payload["template"].AsString() switch
        {
            "EqComparative" => new EqComparativeTemplate(Text("leader_answer"), Text("validator_answer"), Text("principle")),
            "EqNonComparativeLeader" => new EqNonComparativeLeaderTemplate(Text("task"), Text("criteria"), Text("input")),
            "EqNonComparativeValidator" => new EqNonComparativeValidatorTemplate(Text("task"), Text("criteria"), Text("input"), Text("output")),
            var other => throw new FormatException($"unknown template `{other}`"),
        };
    }

    /// <summary>Reads <c>RenderPayload</c> (§2.6).</summary>
    public static WebRenderRequest ParseRender(CalldataMap payload)
    {
        var mode = payload["mode"].AsString() switch
        {
            "text" => RenderMode.Text,
            "html" => RenderMode.Html,
            "screenshot" => RenderMode.Screenshot,
            var other => throw new FormatException($"unknown mode `{other}`"),
        };
        var wait = payload.TryGetValue("wait_after_loaded", out var w) && !w.IsNull ? ParseDuration(w.AsString()) : TimeSpan.Zero;
        return new WebRenderRequest(mode, payload["url"].AsString(), wait);
    }

    /// <summary>Reads <c>RequestPayload</c> (§2.6).</summary>
    public static WebHttpRequest ParseRequest(CalldataMap payload)
    {
        var method = payload["method"].AsString();
        if (!WebHttpRequest.AllowedMethods.Contains(method))
        {
            throw new FormatException($"unknown method `{method}`");
        }

        var headers = payload["headers"].AsMap().ToDictionary(h => h.Key, h => h.Value.AsBytes(), StringComparer.Ordinal);
        ReadOnlyMemory<byte>? body = payload.TryGetValue("body", out var b) && !b.IsNull ? b.AsBytes() : null;
        var sign = payload.TryGetValue("sign", out var s) && s.AsBool();
        return new WebHttpRequest(method, payload["url"].AsString(), headers, body, sign);
    }

    /// <summary>§2.6 duration: decimal integer then <c>s</c> or <c>ms</c>.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        if (text.EndsWith("ms", StringComparison.Ordinal) && long.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (text.EndsWith('s') && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            return TimeSpan.FromSeconds(s);
        }

        throw new FormatException("invalid duration format");
    }
}
