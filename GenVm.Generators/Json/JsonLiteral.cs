namespace GenVm.Generators.Json;

/// <summary>One of the JSON literals <c>true</c>, <c>false</c> or <c>null</c>.</summary>
internal sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(int start, int length, bool? value)
        : base(start, length)
    {
        Value = value;
    }

    /// <summary>The boolean, or null for the <c>null</c> literal.</summary>
    public bool? Value { get; }

    public override string KindName => Value is null ? "null" : "boolean";
}
