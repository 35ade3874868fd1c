using System.Collections.Generic;

namespace GenVm.Generators.Json;

/// <summary>A JSON object; members keep their source order and keys are unique.</summary>
internal sealed class JsonObject : JsonNode
{
    public JsonObject(int start, int length, IReadOnlyList<JsonProperty> properties)
        : base(start, length)
    {
        Properties = properties;
    }

    /// <summary>The members in source order.</summary>
    public IReadOnlyList<JsonProperty> Properties { get; }

    public override string KindName => "object";

    /// <summary>Finds the member named <paramref name="name"/>, or null.</summary>
    public JsonProperty? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }
}
