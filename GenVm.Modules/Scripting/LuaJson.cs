using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GenVm.Modules.Scripting;

/// <summary>
/// JSON ⇄ Lua data (modules.md §5.1, §5.2 <c>json_parse</c> / <c>json_stringify</c>). JSON <c>null</c> becomes nil, so
/// null object members vanish and an array is cut at its first null, as in the reference.
/// </summary>
internal static class LuaJson
{
    private const int MaxDepth = 128;

    /// <summary>Parses JSON text into Lua data.</summary>
    /// <exception cref="JsonException">Invalid JSON.</exception>
    public static object? Parse(ReadOnlySpan<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        return FromElement(doc.RootElement);
    }

    /// <summary>Converts a JSON element into Lua data (null → nil).</summary>
    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var table = new LuaTableValue();
                foreach (var property in element.EnumerateObject())
                {
                    table.Add(property.Name, FromElement(property.Value));
                }

                return table;
            }

            case JsonValueKind.Array:
            {
                var table = new LuaTableValue();
                long i = 1;
                foreach (var item in element.EnumerateArray())
                {
                    var value = FromElement(item);
                    if (value is null)
                    {
                        // A nil ends the Lua sequence: what follows is unreachable through ipairs / #.
                        break;
                    }

                    table.Add(i++, value);
                }

                return table;
            }

            case JsonValueKind.String:
                return Encoding.UTF8.GetBytes(element.GetString()!);
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>Compact JSON of Lua data (a sequence is an array, any other table an object).</summary>
    public static string Stringify(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            Write(writer, value, 0);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new LuaScriptException("json_stringify: value nested too deeply");
        }

        switch (value)
        {
            case null or LuaNull:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteNullValue();
                }

                break;
            case byte[] bytes:
                writer.WriteStringValue(Encoding.UTF8.GetString(bytes));
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case LuaTableValue table when table.IsSequence:
                writer.WriteStartArray();
                foreach (var item in table.SequenceValues())
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case LuaTableValue table:
                writer.WriteStartObject();
                foreach (var (k, v) in table.Entries)
                {
                    writer.WritePropertyName(KeyText(k));
                    Write(writer, v, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case LuaOpaque opaque:
                writer.WriteStringValue("<" + opaque.TypeName + ">");
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string KeyText(object key) => key switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => key.ToString() ?? "",
    };
}
