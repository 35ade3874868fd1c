namespace GenVm.Generators.Json;

/// <summary>A JSON string, escapes decoded.</summary>
internal sealed class JsonString : JsonNode
{
    public JsonString(int start, int length, string value)
        : base(start, length)
    {
        Value = value;
    }

    /// <summary>The decoded text.</summary>
    public string Value { get; }

    public override string KindName => "string";
}
