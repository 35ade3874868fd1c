using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace GenVm.Core.Calldata;

/// <summary>
/// An immutable calldata value (calldata.md §1). Concrete kinds are the sealed subclasses
/// <see cref="CalldataNull"/>, <see cref="CalldataBool"/>, <see cref="CalldataNumber"/>, <see cref="CalldataBytes"/>,
/// <see cref="CalldataString"/>, <see cref="CalldataArray"/>, <see cref="CalldataMap"/> and <see cref="CalldataAddress"/>;
/// match on them with <c>is</c>/<c>switch</c> or use <see cref="Kind"/>.
/// Equality is structural, and equality, hashing and <see cref="ToString"/> never recurse, so arbitrarily deep
/// values are safe.
/// </summary>
public abstract class CalldataValue : IEquatable<CalldataValue>
{
    private protected CalldataValue()
    {
    }

    /// <summary>The kind of this value.</summary>
    public abstract CalldataKind Kind { get; }

    /// <summary>The null value.</summary>
    public static CalldataValue Null => CalldataNull.Instance;

    /// <summary>The boolean <c>true</c>.</summary>
    public static CalldataValue True => CalldataBool.TrueValue;

    /// <summary>The boolean <c>false</c>.</summary>
    public static CalldataValue False => CalldataBool.FalseValue;

    /// <summary>Returns the boolean value.</summary>
    public static CalldataValue FromBool(bool value) => value ? CalldataBool.TrueValue : CalldataBool.FalseValue;

    /// <summary>Returns a number value.</summary>
    public static CalldataNumber FromNumber(BigInteger value) => new(value);

    /// <summary>Returns a bytes value holding a copy of <paramref name="value"/>.</summary>
    public static CalldataBytes FromBytes(ReadOnlySpan<byte> value) => value.IsEmpty ? CalldataBytes.Empty : new(value.ToArray());

    /// <summary>Returns a string value.</summary>
    /// <exception cref="ArgumentException">The string holds a lone surrogate, so it has no UTF-8 form.</exception>
    public static CalldataString FromString(string value) => new(value);

    /// <summary>Returns an array value holding the given elements (the span is copied).</summary>
    public static CalldataArray FromArray(params ReadOnlySpan<CalldataValue> items) => items.IsEmpty ? CalldataArray.Empty : new(items.ToArray());

    /// <summary>Returns an array value holding the given elements (the sequence is copied).</summary>
    public static CalldataArray FromArray(IEnumerable<CalldataValue> items) => CalldataArray.Create(items);

    /// <summary>Returns a map value; the entries may come in any order and are sorted canonically (calldata.md §5).</summary>
    /// <exception cref="ArgumentException">A key is duplicated or holds a lone surrogate.</exception>
    public static CalldataMap FromMap(params ReadOnlySpan<KeyValuePair<string, CalldataValue>> entries) => CalldataMap.Create(entries);

    /// <summary>Returns a map value; the entries may come in any order and are sorted canonically (calldata.md §5).</summary>
    /// <exception cref="ArgumentException">A key is duplicated or holds a lone surrogate.</exception>
    public static CalldataMap FromMap(params ReadOnlySpan<(string Key, CalldataValue Value)> entries)
    {
        var pairs = new KeyValuePair<string, CalldataValue>[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            pairs[i] = new(entries[i].Key, entries[i].Value);
        }

        return CalldataMap.Create(pairs);
    }

    /// <summary>Returns a map value; the entries may come in any order and are sorted canonically (calldata.md §5).</summary>
    /// <exception cref="ArgumentException">A key is duplicated or holds a lone surrogate.</exception>
    public static CalldataMap FromMap(IEnumerable<KeyValuePair<string, CalldataValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return CalldataMap.Create([.. entries]);
    }

    /// <summary>Returns an address value.</summary>
    public static CalldataAddress FromAddress(Address value) => new(value);

    /// <summary>Converts a boolean.</summary>
    public static implicit operator CalldataValue(bool value) => FromBool(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator CalldataValue(int value) => CalldataNumber.Get(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator CalldataValue(long value) => CalldataNumber.Get(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator CalldataValue(ulong value) => new CalldataNumber(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator CalldataValue(BigInteger value) => new CalldataNumber(value);

    /// <summary>Converts a string (must not hold lone surrogates).</summary>
    public static implicit operator CalldataValue(string value) => FromString(value);

    /// <summary>Converts a byte array (copied).</summary>
    public static implicit operator CalldataValue(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return FromBytes(value);
    }

    /// <summary>Converts an address.</summary>
    public static implicit operator CalldataValue(Address value) => FromAddress(value);

    /// <summary>Returns the canonical encoding of this value (calldata.md §2–§5).</summary>
    public byte[] Encode() => CalldataCodec.Encode(this);

    /// <summary>Decodes exactly one canonical value (calldata.md §6).</summary>
    /// <exception cref="CalldataFormatException">The input is not the canonical encoding of one value.</exception>
    public static CalldataValue Decode(ReadOnlySpan<byte> encoded) => CalldataCodec.Decode(encoded);

    /// <summary>True for <see cref="CalldataKind.Null"/>.</summary>
    public bool IsNull => Kind == CalldataKind.Null;

    /// <summary>Returns the boolean, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public bool AsBool() => this is CalldataBool b ? b.Value : throw WrongKind(CalldataKind.Bool);

    /// <summary>Returns the number, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public BigInteger AsNumber() => this is CalldataNumber n ? n.Value : throw WrongKind(CalldataKind.Number);

    /// <summary>Returns the octets, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public ReadOnlyMemory<byte> AsBytes() => this is CalldataBytes b ? b.Memory : throw WrongKind(CalldataKind.Bytes);

    /// <summary>Returns the text, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public string AsString() => this is CalldataString s ? s.Value : throw WrongKind(CalldataKind.Str);

    /// <summary>Returns this as an array, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public CalldataArray AsArray() => this as CalldataArray ?? throw WrongKind(CalldataKind.Array);

    /// <summary>Returns this as a map, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public CalldataMap AsMap() => this as CalldataMap ?? throw WrongKind(CalldataKind.Map);

    /// <summary>Returns the address, or throws <see cref="InvalidOperationException"/> for another kind.</summary>
    public Address AsAddress() => this is CalldataAddress a ? a.Value : throw WrongKind(CalldataKind.Address);

    /// <summary>Structural equality (iterative, safe for any depth).</summary>
    public bool Equals([NotNullWhen(true)] CalldataValue? other) => other is not null && CalldataEquality.AreEqual(this, other);

    /// <inheritdoc/>
    public sealed override bool Equals([NotNullWhen(true)] object? obj) => obj is CalldataValue other && Equals(other);

    /// <summary>Structural hash code (iterative, safe for any depth; visits the whole value).</summary>
    public sealed override int GetHashCode() => CalldataEquality.GetHashCode(this);

    /// <summary>The lossless text form (see <see cref="CalldataText"/>).</summary>
    public sealed override string ToString() => CalldataText.Print(this);

    /// <summary>Structural equality.</summary>
    public static bool operator ==(CalldataValue? left, CalldataValue? right)
        => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(CalldataValue? left, CalldataValue? right) => !(left == right);

    private InvalidOperationException WrongKind(CalldataKind expected)
        => new($"expected a calldata {expected}, got {Kind}");
}
