namespace GenVm.Wasm.Wasi;

/// <summary>WASI preview1 <c>filetype</c>.</summary>
public enum WasiFileType : byte
{
    /// <summary>Unknown or not applicable.</summary>
    Unknown = 0,

    /// <summary>A block device.</summary>
    BlockDevice = 1,

    /// <summary>A character device (the standard streams).</summary>
    CharacterDevice = 2,

    /// <summary>A directory.</summary>
    Directory = 3,

    /// <summary>A regular file.</summary>
    RegularFile = 4,

    /// <summary>A datagram socket.</summary>
    SocketDgram = 5,

    /// <summary>A stream socket.</summary>
    SocketStream = 6,

    /// <summary>A symbolic link.</summary>
    SymbolicLink = 7,
}
