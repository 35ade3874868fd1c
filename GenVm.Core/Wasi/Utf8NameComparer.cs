using System.Text;

namespace GenVm.Core.Wasi;

/// <summary>Orders names by their UTF-8 bytes (wasm-abi.md §9.3 <c>fd_readdir</c>: children sorted by name bytes).</summary>
internal sealed class Utf8NameComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static Utf8NameComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y) =>
        Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
}
