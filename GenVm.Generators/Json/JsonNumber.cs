namespace GenVm.Generators.Json;

/// <summary>A JSON number kept as its source text, so 64-bit integers are not rounded through a double.</summary>
internal sealed class JsonNumber : JsonNode
{
    public JsonNumber(int start, int length, string text)
        : base(start, length)
    {
        Text = text;
    }

    /// <summary>The number exactly as written.</summary>
    public string Text { get; }

    /// <summary>True when the number has no fraction and no exponent.</summary>
    public bool IsInteger => Text.IndexOfAny(['.', 'e', 'E']) < 0;

    public override string KindName => "number";
}
