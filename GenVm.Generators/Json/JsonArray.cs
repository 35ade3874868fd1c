using System.Collections.Generic;

namespace GenVm.Generators.Json;

/// <summary>A JSON array.</summary>
internal sealed class JsonArray : JsonNode
{
    public JsonArray(int start, int length, IReadOnlyList<JsonNode> items)
        : base(start, length)
    {
        Items = items;
    }

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<JsonNode> Items { get; }

    public override string KindName => "array";
}
