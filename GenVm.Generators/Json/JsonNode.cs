namespace GenVm.Generators.Json;

/// <summary>A parsed JSON value with the span of its source text, so schema errors can point at it.</summary>
internal abstract class JsonNode
{
    protected JsonNode(int start, int length)
    {
        Start = start;
        Length = length;
    }

    /// <summary>Offset of the value's first character in the source text.</summary>
    public int Start { get; }

    /// <summary>Length of the value's source text.</summary>
    public int Length { get; }

    /// <summary>What the JSON grammar calls this value ("object", "string", …), for error messages.</summary>
    public abstract string KindName { get; }
}
