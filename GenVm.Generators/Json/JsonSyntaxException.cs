using System;

namespace GenVm.Generators.Json;

/// <summary>Malformed JSON text, with the offset of the offending character.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Offset in the source text where parsing failed.</summary>
    public int Offset { get; }
}
