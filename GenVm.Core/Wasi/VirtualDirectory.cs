namespace GenVm.Core.Wasi;

/// <summary>A directory of the virtual file system. Directories exist implicitly once something is mapped below them.</summary>
internal sealed class VirtualDirectory : VirtualNode
{
    /// <summary>The children by name, sorted by UTF-8 bytes.</summary>
    public SortedDictionary<string, VirtualNode> Children { get; } = new(Utf8NameComparer.Instance);
}
