namespace GenVm.Generators.Json;

/// <summary>One member of a JSON object.</summary>
internal sealed class JsonProperty
{
    public JsonProperty(string name, int nameStart, int nameLength, JsonNode value)
    {
        Name = name;
        NameStart = nameStart;
        NameLength = nameLength;
        Value = value;
    }

    /// <summary>The decoded key.</summary>
    public string Name { get; }

    /// <summary>Offset of the key's opening quote.</summary>
    public int NameStart { get; }

    /// <summary>Length of the quoted key.</summary>
    public int NameLength { get; }

    /// <summary>The member's value.</summary>
    public JsonNode Value { get; }
}
