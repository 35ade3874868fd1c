namespace GenVm.Wasm.Wasi;

/// <summary>Preview1 <c>rights</c> bits reported by <c>fd_fdstat_get</c> (wasi-libc reads them, e.g. for <c>isatty</c>).</summary>
internal static class WasiRights
{
    public const ulong FdDatasync = 1UL << 0;
    public const ulong FdRead = 1UL << 1;
    public const ulong FdSeek = 1UL << 2;
    public const ulong FdFdstatSetFlags = 1UL << 3;
    public const ulong FdSync = 1UL << 4;
    public const ulong FdTell = 1UL << 5;
    public const ulong FdWrite = 1UL << 6;
    public const ulong FdAdvise = 1UL << 7;
    public const ulong FdAllocate = 1UL << 8;
    public const ulong FdReaddir = 1UL << 14;
    public const ulong FdFilestatGet = 1UL << 21;
    public const ulong FdFilestatSetSize = 1UL << 22;
    public const ulong FdFilestatSetTimes = 1UL << 23;
    public const ulong PollFdReadwrite = 1UL << 27;

    /// <summary>path_create_directory .. path_filestat_set_times (bits 9-20 minus fd_readdir), path_symlink, remove, unlink.</summary>
    public const ulong DirectoryOperations = 0x1FBE00UL | (1UL << 24) | (1UL << 25) | (1UL << 26) | FdReaddir | FdFilestatGet | FdFilestatSetTimes;

    /// <summary>Every right a regular file can have.</summary>
    public const ulong FileOperations = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise
        | FdAllocate | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite;
}
