namespace GenVm.Core.Wasi;

/// <summary>stdout or stderr of the executor: write-only (§9.3 <c>fd_write</c>).</summary>
internal sealed class DetStreamDescriptor(Stream output) : DetDescriptor
{
    /// <summary>Where written bytes go.</summary>
    public Stream Output { get; } = output;
}
