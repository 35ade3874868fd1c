using System.Text.Json;

namespace GenVm.Core.Runners;

/// <summary>
/// Parses <c>runner.json</c> (runners.md §4): externally tagged actions, each an object with exactly one key. Unknown
/// names, a second key, missing or wrongly typed fields and bad JSON fail; extra fields inside a payload object are
/// ignored (serde's default), a repeated payload field fails (serde's <c>duplicate field</c>).
/// </summary>
internal static class RunnerActionParser
{
    // serde_json's recursion limit.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 128 };

    /// <summary>Parses <paramref name="json"/> (UTF-8).</summary>
    /// <exception cref="RunnerLoadException"><c>invalid_contract</c>.</exception>
    public static RunnerAction Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            return ParseAction(document.RootElement);
        }
        catch (JsonException e)
        {
            throw RunnerLoadException.Invalid("runner.json: " + e.Message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // Invalid UTF-8 or lone surrogates surface as these from some JsonDocument paths.
            throw RunnerLoadException.Invalid("runner.json: " + e.Message);
        }
    }

    private static RunnerAction ParseAction(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail("an action must be an object with one key");
        }

        JsonProperty? only = null;
        foreach (var property in element.EnumerateObject())
        {
            if (only is not null)
            {
                throw Fail("an action must have exactly one key");
            }

            only = property;
        }

        if (only is not { } action)
        {
            throw Fail("an action must have exactly one key");
        }

        var payload = action.Value;
        return action.Name switch
        {
            "MapFile" => new MapFileAction(Field(payload, "file"), Field(payload, "to")),
            "AddEnv" => new AddEnvAction(Field(payload, "name"), Field(payload, "val")),
            "SetArgs" => new SetArgsAction(StringArray(payload)),
            "LinkWasm" => new LinkWasmAction(String(payload)),
            "StartWasm" => new StartWasmAction(String(payload)),
            "Depends" => new DependsAction(String(payload)),
            "With" => new WithAction(Field(payload, "runner"), ParseAction(Member(payload, "action"))),
            "When" => new WhenAction(Condition(Field(payload, "cond")), ParseAction(Member(payload, "action"))),
            "Seq" => new SeqAction(Array(payload).Select(ParseAction).ToArray()),
            _ => throw Fail($"unknown action `{action.Name}`"),
        };
    }

    private static bool Condition(string cond) => cond switch
    {
        "det" => true,
        "nondet" => false,
        _ => throw Fail($"unknown When condition `{cond}`"),
    };

    private static JsonElement Member(JsonElement payload, string name)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw Fail("payload must be an object");
        }

        JsonElement? found = null;
        foreach (var property in payload.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                if (found is not null)
                {
                    throw Fail($"duplicate field `{name}`");
                }

                found = property.Value;
            }
        }

        return found ?? throw Fail($"missing field `{name}`");
    }

    private static string Field(JsonElement payload, string name) => String(Member(payload, name));

    private static string String(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Fail("expected a string");

    private static IEnumerable<JsonElement> Array(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw Fail("expected an array");

    private static string[] StringArray(JsonElement element) => Array(element).Select(String).ToArray();

    private static RunnerLoadException Fail(string detail) => RunnerLoadException.Invalid("runner.json: " + detail);
}
