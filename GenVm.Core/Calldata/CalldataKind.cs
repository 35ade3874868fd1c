namespace GenVm.Core.Calldata;

/// <summary>The eight kinds of calldata value (calldata.md §1).</summary>
public enum CalldataKind : byte
{
    /// <summary>Absence of value (<c>00</c>).</summary>
    Null,

    /// <summary><c>true</c> (<c>10</c>) or <c>false</c> (<c>08</c>).</summary>
    Bool,

    /// <summary>Arbitrary-precision signed integer (tags PINT and NINT).</summary>
    Number,

    /// <summary>Arbitrary octet string (tag BYTES).</summary>
    Bytes,

    /// <summary>Unicode text carried as UTF-8 (tag STR).</summary>
    Str,

    /// <summary>Ordered sequence of values (tag ARR).</summary>
    Array,

    /// <summary>Mapping from text keys to values in canonical key order (tag MAP).</summary>
    Map,

    /// <summary>A 20-octet address (SPECIAL <c>18</c>).</summary>
    Address,
}
