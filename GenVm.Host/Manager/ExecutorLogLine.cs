using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenVm.Host.Manager;

/// <summary>How the manager keeps one line of an executor's log pipe (manager.md §4 <c>/genvm/run</c> step 6).</summary>
internal static class ExecutorLogLine
{
    /// <summary>
    /// A JSON object line is kept with <c>level</c> rewritten as a lower-case string; any other line becomes
    /// <c>{"level":"info","message":"genvm log","line":&lt;text&gt;}</c>.
    /// </summary>
    public static JsonObject Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            if (JsonNode.Parse(line) is JsonObject record)
            {
                var level = record["level"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.ToLowerInvariant() : "info";
                record.Remove("level");
                var ordered = new JsonObject { ["level"] = level };
                foreach (var (key, node) in record.ToList())
                {
                    record.Remove(key);
                    ordered[key] = node;
                }

                return ordered;
            }
        }
        catch (JsonException)
        {
            // Not JSON: kept as text below.
        }

        return new JsonObject { ["level"] = "info", ["message"] = "genvm log", ["line"] = line };
    }
}
