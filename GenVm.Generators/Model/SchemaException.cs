using System;

namespace GenVm.Generators.Model;

/// <summary>Valid JSON that breaks the constants schema, with the span of the offending text.</summary>
internal sealed class SchemaException : Exception
{
    public SchemaException(string message, int start, int length)
        : base(message)
    {
        Start = start;
        Length = length;
    }

    /// <summary>Offset of the offending text.</summary>
    public int Start { get; }

    /// <summary>Length of the offending text.</summary>
    public int Length { get; }
}
