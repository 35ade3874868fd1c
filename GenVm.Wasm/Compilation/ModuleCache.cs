using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// The on-disk compile cache (<see cref="EngineConfig.CacheDirectory"/>). Each module has an entry file named by a
/// key that hashes the wasm bytes, the engine build and every configuration setting (anything that changes code
/// generation changes the key), and an image file (the generated assembly: IL, or ReadyToRun native code after
/// <see cref="Module.Precompile"/>). Performance only (runners.md §9): an unreadable, corrupted or foreign entry or
/// image is detected by the header and the hashes, discarded and rebuilt; a failing write is ignored.
/// </summary>
/// <remarks>
/// Entry <c>KEY.gvmc</c> (little-endian): magic <c>GVMCACHE</c>, format version (u32), the 32-byte key, SHA-256
/// of the payload (32 bytes), payload length (i64), payload = module metadata length (i32) and bytes
/// (<see cref="Binary.ModuleMetadata"/>: what a hit needs instead of decoding the wasm), side data
/// (<see cref="CompiledImage.WriteSideData"/>), image kind (byte: 0 IL, 1 ReadyToRun), image length (i64), image checksum (32 bytes, <see cref="ImageChecksum"/>). Image: <c>KEY.il.dll</c>
/// or <c>KEY.r2r.dll</c>. Files are written to a temporary name and renamed, image first, so a reader sees either
/// the old entry or the complete new one.
/// </remarks>
internal static class ModuleCache
{
    /// <summary>Bumped when the entry layout or the payload format changes.</summary>
    public const uint FormatVersion = 3;

    /// <summary>File extension of entries.</summary>
    public const string Extension = ".gvmc";

    /// <summary>
    /// Size above which writing an entry evicts the least recently used others (every engine build has its own
    /// keys, so without a bound a shared cache directory would grow with each build).
    /// </summary>
    public const long SizeLimitBytes = 4L << 30;

    private const int HeaderSize = 8 + 4 + 32 + 32 + 8;

    private static readonly byte[] Magic = "GVMCACHE"u8.ToArray();

    // Images loaded in this process, by key: cached assemblies are not collectible, so a module loaded again reuses
    // its assembly (and its already-jitted code) instead of loading a copy.
    private static readonly ConcurrentDictionary<string, (byte[] ImageHash, CompiledImage Image)> Loaded = new(StringComparer.Ordinal);

    /// <summary>Longest wait at process exit for background entry writes (CPython's takes ~2 s of CPU).</summary>
    private static readonly TimeSpan PendingWriteExitWait = TimeSpan.FromMinutes(2);

    // The emitter recurses on nested blocks: the same stack as the threads that compile in the foreground.
    private const int BackgroundStackBytes = 64 * 1024 * 1024;

    private static readonly List<Task> PendingWrites = [];
    private static bool s_exitHooked;

    private static readonly Lazy<string> EngineBuild = new(() =>
        // A deterministic build's MVID is a hash of the assembly's content: any engine change gives a new one.
        string.Create(CultureInfo.InvariantCulture, $"genvm-wasm {typeof(Engine).Assembly.ManifestModule.ModuleVersionId:N} runtime {Environment.Version}"));

    /// <summary>The text hashed into every key besides the wasm bytes: engine build plus all configuration values.</summary>
    public static string Fingerprint(EngineConfig config)
    {
        var text = new StringBuilder(EngineBuild.Value);
        // Every public setting, by reflection, so settings added later (float policy, fuel, limits) are keyed too.
        foreach (var property in typeof(EngineConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            // Neither changes the generated code: the cache always holds the eagerly compiled image.
            if (property.Name is nameof(EngineConfig.CacheDirectory) or nameof(EngineConfig.LazyCompilation))
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $";{property.Name}={Convert.ToString(property.GetValue(config), CultureInfo.InvariantCulture)}");
        }

        return text.ToString();
    }

    /// <summary>The cache key of <paramref name="wasm"/> compiled by <paramref name="config"/> (hashes the bytes: tests, tools).</summary>
    public static byte[] Key(EngineConfig config, ReadOnlySpan<byte> wasm)
    {
        Span<byte> wasmHash = stackalloc byte[32];
        SHA256.HashData(wasm, wasmHash);
        return KeyOfHash(config, wasmHash);
    }

    /// <summary>
    /// The cache key of the module whose bytes have SHA-256 <paramref name="wasmSha256"/> (<see cref="Module.Sha256"/>)
    /// compiled by <paramref name="config"/>: a hash of the engine build and configuration text plus that hash, so the
    /// bytes are not read again.
    /// </summary>
    public static byte[] KeyOfHash(EngineConfig config, ReadOnlySpan<byte> wasmSha256)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"genvm-wasm-cache/{FormatVersion}\n{Fingerprint(config)}\n")));
        hash.AppendData(wasmSha256);
        return hash.GetHashAndReset();
    }

    /// <summary>The entry file of <paramref name="key"/>.</summary>
    public static string PathOf(string directory, byte[] key) => Path.Combine(directory, Convert.ToHexStringLower(key) + Extension);

    /// <summary>The image file of <paramref name="key"/>.</summary>
    public static string ImagePathOf(string directory, byte[] key, bool native) =>
        Path.Combine(directory, Convert.ToHexStringLower(key) + (native ? ".r2r.dll" : ".il.dll"));

    /// <summary>Reads and checks an entry and its image; null when absent or rejected (a rejected entry is deleted).</summary>
    public static CompiledImage? TryRead(string directory, byte[] key) => TryReadEntry(directory, key, default, withDefinition: false)?.Image;

    /// <summary>
    /// As <see cref="TryRead(string, byte[])"/>, and rebuilds the definition of <paramref name="wasm"/> (the bytes the
    /// key was computed from) from the entry's metadata (<see cref="CompiledImage.Definition"/>): no decoding.
    /// </summary>
    public static CompiledImage? TryRead(string directory, byte[] key, ReadOnlySpan<byte> wasm) => TryReadEntry(directory, key, wasm, withDefinition: true)?.Image;

    /// <summary>Deletes an entry found unusable (also after a failed assembly load).</summary>
    public static void Reject(string directory, byte[] key, string reason)
    {
        Loaded.TryRemove(Convert.ToHexStringLower(key), out _);
        Trace.TraceWarning("genvm-wasm: discarding compile cache entry {0}: {1}", PathOf(directory, key), reason);
        TryDelete(PathOf(directory, key));
        TryDelete(ImagePathOf(directory, key, native: false));
        TryDelete(ImagePathOf(directory, key, native: true));
    }

    /// <summary>Forgets the image of <paramref name="key"/> loaded in this process, so the next load reads the disk (tests: a fresh process).</summary>
    internal static void Forget(byte[] key) => Loaded.TryRemove(Convert.ToHexStringLower(key), out _);

    /// <summary>
    /// Compiles the image with <paramref name="compile"/> and writes its entry on a background thread (a lazily
    /// compiled module runs meanwhile). The process waits for pending writes at exit (at most
    /// <see cref="PendingWriteExitWait"/>), so a short run still leaves its entry; a process killed before the rename
    /// leaves at most a temporary file, never an entry (<see cref="WriteAtomically"/>).
    /// </summary>
    public static Task WriteInBackground(string directory, byte[] key, Func<CompiledImage> compile)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (PendingWrites)
        {
            PendingWrites.Add(done.Task);
            if (!s_exitHooked)
            {
                s_exitHooked = true;
                AppDomain.CurrentDomain.ProcessExit += static (_, _) => WaitForPendingWrites();
            }
        }

        var thread = new Thread(
            () =>
            {
                try
                {
                    TryWrite(directory, key, compile());
                }
#pragma warning disable CA1031 // The module was validated and already runs lazily: a failing cache write must not end the process.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Trace.TraceWarning("genvm-wasm: cannot compile the compile cache entry {0}: {1}", PathOf(directory, key), ex);
                }
                finally
                {
                    lock (PendingWrites)
                    {
                        PendingWrites.Remove(done.Task);
                    }

                    done.SetResult();
                }
            },
            BackgroundStackBytes)
        {
            IsBackground = true,
            Name = "genvm-wasm cache write",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Waits for the background entry writes of this process (<see cref="WriteInBackground"/>).</summary>
    public static void WaitForPendingWrites()
    {
        Task[] pending;
        lock (PendingWrites)
        {
            pending = [.. PendingWrites];
        }

        Task.WaitAll(pending, PendingWriteExitWait);
    }

    /// <summary>Writes an entry holding the IL image of <paramref name="image"/>; failures are ignored.</summary>
    public static void TryWrite(string directory, byte[] key, CompiledImage image)
    {
        var start = PhaseTimings.Start();
        var il = image.IlImage ?? throw new InvalidOperationException("the image was already loaded");
        try
        {
            Directory.CreateDirectory(directory);
            WriteAtomically(ImagePathOf(directory, key, native: false), il);
            // One checksum of the image (CPython's is ~13 MB) for both the entry and the in-process table.
            var imageHash = ImageChecksum.Compute(il);
            WriteEntry(directory, key, image, native: false, imageHash, il.Length);
            Loaded[Convert.ToHexStringLower(key)] = (imageHash, image);
            Trim(directory, SizeLimitBytes, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Trace.TraceWarning("genvm-wasm: cannot write compile cache entry {0}: {1}", PathOf(directory, key), ex.Message);
        }

        PhaseTimings.Stop("cache write", start);
    }

    /// <summary>
    /// Replaces the IL image of a verified entry by a ReadyToRun image compiled with <paramref name="crossgen2"/>;
    /// returns false when the entry is absent or damaged. Throws when crossgen2 fails.
    /// </summary>
    public static bool TryMakeNative(string directory, byte[] key, string crossgen2)
    {
        var entry = TryReadEntry(directory, key, default, withDefinition: false, keepLoaded: false);
        if (entry is null)
        {
            return false;
        }

        if (entry.Value.Native)
        {
            return true;
        }

        var native = ImagePathOf(directory, key, native: true);
        var temp = TempName(native) + ".dll";
        try
        {
            ReadyToRunCompiler.Compile(crossgen2, ImagePathOf(directory, key, native: false), temp);
            var bytes = File.ReadAllBytes(temp);
            File.Move(temp, native, overwrite: true);
            WriteEntry(directory, key, entry.Value.Image, native: true, ImageChecksum.Compute(bytes), bytes.Length);
        }
        finally
        {
            TryDelete(temp);
        }

        TryDelete(ImagePathOf(directory, key, native: false));
        return true;
    }

    /// <summary>
    /// Deletes the least recently used entries (entry file time: written or last hit) until the directory's entries
    /// and images take at most <paramref name="limit"/> bytes; <paramref name="keep"/> is never deleted.
    /// </summary>
    internal static void Trim(string directory, long limit, byte[] keep)
    {
        try
        {
            var keepName = Convert.ToHexStringLower(keep);
            var entries = new DirectoryInfo(directory).GetFiles("*" + Extension)
                .Select(f => (Entry: f, Stem: Path.GetFileNameWithoutExtension(f.Name)))
                .Select(e => (e.Entry, e.Stem, Size: e.Entry.Length + ImageSize(directory, e.Stem)))
                .OrderBy(e => e.Entry.LastWriteTimeUtc)
                .ToList();
            var total = entries.Sum(e => e.Size);
            foreach (var (entry, stem, size) in entries)
            {
                if (total <= limit)
                {
                    break;
                }

                if (stem == keepName)
                {
                    continue;
                }

                TryDelete(entry.FullName);
                TryDelete(Path.Combine(directory, stem + ".il.dll"));
                TryDelete(Path.Combine(directory, stem + ".r2r.dll"));
                total -= size;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Eviction is best effort; another process may be trimming too.
        }
    }

    private static long ImageSize(string directory, string stem)
    {
        var il = new FileInfo(Path.Combine(directory, stem + ".il.dll"));
        var native = new FileInfo(Path.Combine(directory, stem + ".r2r.dll"));
        return (il.Exists ? il.Length : 0) + (native.Exists ? native.Length : 0);
    }

    private static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves hits; only eviction order suffers.
        }
    }

    /// <summary>Why <paramref name="entry"/> is not a valid entry file for <paramref name="key"/>, or null when it is.</summary>
    internal static string? Check(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> key)
    {
        if (entry.Length < HeaderSize || !entry[..8].SequenceEqual(Magic))
        {
            return "not a compile cache entry";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]) != FormatVersion)
        {
            return "entry format version differs";
        }

        if (!entry.Slice(12, 32).SequenceEqual(key))
        {
            return "entry was written for another module, engine or configuration";
        }

        var payload = entry[HeaderSize..];
        if (BinaryPrimitives.ReadInt64LittleEndian(entry[76..]) != payload.Length)
        {
            return "entry is truncated";
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        return hash.SequenceEqual(entry.Slice(44, 32)) ? null : "entry payload hash mismatch";
    }

    private static (CompiledImage Image, bool Native)? TryReadEntry(string directory, byte[] key, ReadOnlySpan<byte> wasm, bool withDefinition, bool keepLoaded = true)
    {
        var path = PathOf(directory, key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var reason = Check(bytes, key);
        if (reason is null)
        {
            try
            {
                var payload = bytes.AsSpan(HeaderSize);
                var position = 0;
                var metadataLength = CompiledImage.ReadInt(payload, ref position);
                CompiledImage.Check(metadataLength >= 0 && metadataLength <= payload.Length - position);
                var metadata = payload.Slice(position, metadataLength);
                position += metadataLength;
                var (globalIsDirect, offsetMaps, oversized) = CompiledImage.ReadSideData(payload, ref position);
                CompiledImage.Check(payload.Length - position == 1 + 8 + 32);
                var native = payload[position] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new InvalidDataException("unknown image kind"),
                };
                var imageLength = BinaryPrimitives.ReadInt64LittleEndian(payload[(position + 1)..]);
                var imageHash = payload.Slice(position + 9, 32).ToArray();
                var hex = Convert.ToHexStringLower(key);

                Touch(path);
                if (keepLoaded && Loaded.TryGetValue(hex, out var loaded) && loaded.ImageHash.AsSpan().SequenceEqual(imageHash))
                {
                    loaded.Image.Metadata ??= metadata.ToArray();
                    if (withDefinition && loaded.Image.Definition is null)
                    {
                        loaded.Image.Definition = ReadDefinition(metadata, wasm);
                    }

                    return (loaded.Image, native);
                }

                // The metadata is parsed before the image is read: damaged metadata rejects the entry early.
                var definition = withDefinition ? ReadDefinition(metadata, wasm) : null;
                var start = PhaseTimings.Start();

                var imagePath = ImagePathOf(directory, key, native);
                // A native image is loaded from its file by the runtime: it is only hashed, in place (no copy of its
                // tens of MB); an IL image is read, since it is loaded from those bytes.
                var image = native ? null : ReadImage(imagePath, imageLength, imageHash, out reason);
                var verified = native ? VerifyMapped(imagePath, imageLength, imageHash, out reason) : image is not null;
                PhaseTimings.Stop("check image", start);
                if (verified)
                {
                    var compiled = new CompiledImage(globalIsDirect, offsetMaps, oversized)
                    {
                        IlImage = image,
                        NativeImagePath = native ? imagePath : null,
                        Metadata = metadata.ToArray(),
                        Definition = definition,
                    };
                    if (keepLoaded)
                    {
                        Loaded[hex] = (imageHash, compiled);
                    }

                    return (compiled, native);
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or MetadataFormatException)
            {
                reason = ex.Message;
            }
        }

        Reject(directory, key, reason!);
        return null;
    }

    private static ModuleDefinition ReadDefinition(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> wasm)
    {
        var start = PhaseTimings.Start();
        var definition = ModuleMetadata.Read(metadata, wasm.ToArray());
        PhaseTimings.Stop("read metadata", start);
        return definition;
    }

    /// <summary>Whether the file at <paramref name="path"/> has <paramref name="length"/> bytes with checksum <paramref name="hash"/> (<see cref="ImageChecksum"/>), read through a read-only mapping.</summary>
    private static unsafe bool VerifyMapped(string path, long length, byte[] hash, out string? reason)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (RandomAccess.GetLength(file) != length || length is <= 0 or > int.MaxValue)
            {
                reason = "image length mismatch";
                return false;
            }

            using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            var handle = view.SafeMemoryMappedViewHandle;
            byte* pointer = null;
            handle.AcquirePointer(ref pointer);
            try
            {
                Span<byte> actual = stackalloc byte[ImageChecksum.Size];
                ImageChecksum.Compute(new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length), actual);
                reason = actual.SequenceEqual(hash) ? null : "image hash mismatch";
                return reason is null;
            }
            finally
            {
                handle.ReleasePointer();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = "image unreadable: " + ex.Message;
            return false;
        }
    }

    private static byte[]? ReadImage(string path, long length, byte[] hash, out string? reason)
    {
        byte[] image;
        try
        {
            image = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = "image unreadable: " + ex.Message;
            return null;
        }

        if (image.Length != length || !ImageChecksum.Compute(image).AsSpan().SequenceEqual(hash))
        {
            reason = "image hash mismatch";
            return null;
        }

        reason = null;
        return image;
    }

    private static void WriteEntry(string directory, byte[] key, CompiledImage image, bool native, byte[] imageHash, long imageLength)
    {
        var metadata = image.Metadata ?? throw new InvalidOperationException("the image has no module metadata");
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(metadata.Length);
            writer.Write(metadata);
            image.WriteSideData(writer);
            writer.Write((byte)(native ? 1 : 0));
            writer.Write(imageLength);
            writer.Write(imageHash);
        }

        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var entry = new byte[HeaderSize + body.Length];
        Magic.CopyTo(entry, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), FormatVersion);
        key.CopyTo(entry, 12);
        SHA256.HashData(body, entry.AsSpan(44, 32));
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(76), body.Length);
        body.CopyTo(entry.AsSpan(HeaderSize));
        WriteAtomically(PathOf(directory, key), entry);
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = TempName(path);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
            }

            // Rename is atomic: readers see either the old file or the complete new one, never a partial write.
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static string TempName(string path) =>
        path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process may hold or have replaced it; the next writer renames over it anyway.
        }
    }
}
