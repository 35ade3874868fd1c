using System.Collections.Immutable;

namespace GenVm.Wasm;

/// <summary>A function signature. Equality is structural, as call_indirect requires across modules.</summary>
public sealed class FuncType : IEquatable<FuncType>
{
    /// <summary>Creates a signature.</summary>
    public FuncType(ImmutableArray<ValueKind> parameters, ImmutableArray<ValueKind> results)
    {
        Parameters = parameters;
        Results = results;
    }

    /// <summary>Creates a signature from arrays.</summary>
    public FuncType(ValueKind[] parameters, ValueKind[] results)
        : this(ImmutableArray.Create(parameters), ImmutableArray.Create(results))
    {
    }

    /// <summary>The parameter types, in order.</summary>
    public ImmutableArray<ValueKind> Parameters { get; }

    /// <summary>The result types, in order.</summary>
    public ImmutableArray<ValueKind> Results { get; }

    /// <inheritdoc />
    public bool Equals(FuncType? other) =>
        other is not null && Parameters.AsSpan().SequenceEqual(other.Parameters.AsSpan()) && Results.AsSpan().SequenceEqual(other.Results.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as FuncType);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var p in Parameters) hash.Add(p);
        hash.Add(0xFF);
        foreach (var r in Results) hash.Add(r);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"[{string.Join(' ', Parameters).ToLowerInvariant()}] -> [{string.Join(' ', Results).ToLowerInvariant()}]";
}
