namespace GenVm.Wasm.Wasi;

/// <summary>A standard stream (stdin, stdout, stderr): a character device backed by a host <see cref="Stream"/>.</summary>
public sealed class WasiStreamDescriptor : WasiDescriptor
{
    /// <summary>Wraps <paramref name="stream"/> (null: reads see end of file, writes are discarded).</summary>
    public WasiStreamDescriptor(Stream? stream, bool readable, bool writable)
    {
        Stream = stream;
        Readable = readable;
        Writable = writable;
    }

    /// <summary>The host stream, or null.</summary>
    public Stream? Stream { get; }

    /// <summary>Whether <c>fd_read</c> is allowed.</summary>
    public bool Readable { get; }

    /// <summary>Whether <c>fd_write</c> is allowed.</summary>
    public bool Writable { get; }

    /// <inheritdoc />
    public override WasiFileType FileType => WasiFileType.CharacterDevice;
}
