namespace GenVm.Core.Calldata;

/// <summary>Thrown by <see cref="CalldataText.Parse"/> for malformed text; <see cref="Position"/> is a 0-based char index.</summary>
public sealed class CalldataTextException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public CalldataTextException(string problem, int position)
        : base($"{problem} at position {position}")
    {
        Problem = problem;
        Position = position;
    }

    /// <summary>What was wrong, e.g. <c>expected ',' or ']'</c>.</summary>
    public string Problem { get; }

    /// <summary>0-based index of the offending character in the input.</summary>
    public int Position { get; }
}
