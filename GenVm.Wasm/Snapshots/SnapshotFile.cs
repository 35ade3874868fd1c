using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using GenVm.Wasm.Compilation;
using Microsoft.Win32.SafeHandles;

namespace GenVm.Wasm.Snapshots;

/// <summary>
/// The on-disk form of a <see cref="StoredSnapshot"/>, so a fresh process restores an initialised instance instead of
/// running its start-up. Reading maps the memory images copy-on-write straight from the file (Linux), so a restore
/// costs one mapping per stored page run whatever the memory's size; only pages the guest touches are read.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian): magic <c>GVMSNAP\0</c>, format version (u32), metadata length M (u32), metadata,
/// zero padding to the page unit, the data region (the memories' non-zero page runs, packed in order), and the
/// SHA-256 of every byte before it (32 bytes). Metadata: the engine fingerprint (engine build, runtime and every
/// configuration setting, as the compile cache keys them), the module identity (the compile-cache key: SHA-256 of the
/// wasm plus that fingerprint), the SHA-256 of the wasm, the float policy, the page unit, the WASI start-up state
/// (optional), the embedder's bytes, then the instance section (<see cref="InstanceSnapshot.Encode"/>).</para>
/// <para>Nothing in a file is trusted before the hash over the whole file matched and every field was checked against
/// the module: a truncated, corrupted, foreign-version, foreign-engine or foreign-module file is a
/// <see cref="SnapshotFormatException"/>. Files are written to a unique temporary name and renamed, so readers see
/// the old file or the complete new one, and are never changed in place (a mapped file's pages stay what was hashed).</para>
/// </remarks>
public static class SnapshotFile
{
    /// <summary>Bumped whenever the layout or the meaning of a field changes.</summary>
    public const uint FormatVersion = 1;

    /// <summary>File extension of snapshot files.</summary>
    public const string Extension = ".gvms";

    private const int HeaderBytes = 16;
    private const int HashBytes = 32;
    private const int MinimumUnit = 4096;

    // A zero gap shorter than this many pages is stored rather than split into two runs: a mapping costs more.
    private const int MergeGap = 16;
    private const int ChunkBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "GVMSNAP\0"u8;

    /// <summary>
    /// Writes <paramref name="contents"/> to <paramref name="path"/> atomically (a temporary file in the same folder,
    /// then a rename over any existing file). Concurrent writers of the same path are safe: one complete file wins.
    /// </summary>
    /// <exception cref="SnapshotMismatchException">The snapshot holds state that has no name on disk (a WASI preopen that is not a host folder, a reference in an imported global).</exception>
    /// <exception cref="IOException">The file cannot be written (the temporary file is removed).</exception>
    public static void Write(string path, StoredSnapshot contents)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(contents);
        var snapshot = contents.Snapshot;
        var module = snapshot.Module;
        var unit = Math.Max(MinimumUnit, Environment.SystemPageSize);
        var images = snapshot.Memories;
        var runs = new IReadOnlyList<PageRun>[images.Count];
        long packed = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var found = images[i].NonZeroRuns(unit, MergeGap);
            for (var j = 0; j < found.Count; j++)
            {
                found[j] = found[j] with { FileOffset = packed };
                packed += found[j].Length;
            }

            runs[i] = found;
        }

        var metadata = new SnapshotWriter();
        metadata.WriteString(ModuleCache.Fingerprint(module.Engine.Config));
        metadata.WriteRaw(ModuleIdentity.Of(module));
        metadata.WriteRaw(module.Sha256);
        metadata.WriteByte((byte)module.Engine.Config.FloatPolicy);
        metadata.WriteUInt32((uint)unit);
        metadata.WriteByte(contents.Wasi is null ? (byte)0 : (byte)1);
        contents.Wasi?.Write(metadata);
        metadata.WriteBytes(contents.EmbedderData.Span);
        snapshot.Encode(metadata, runs);

        var head = new byte[AlignUp(HeaderBytes + metadata.BytesWritten, unit)];
        Magic.CopyTo(head);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)metadata.BytesWritten);
        metadata.TryEncode(head.AsSpan(HeaderBytes), out _);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                stream.Write(head);
                hash.AppendData(head);
                for (var i = 0; i < images.Count; i++)
                {
                    foreach (var run in runs[i])
                    {
                        for (long done = 0; done < run.Length; done += ChunkBytes)
                        {
                            var chunk = images[i].Chunk(run.Offset + done, (int)Math.Min(ChunkBytes, run.Length - done));
                            stream.Write(chunk);
                            hash.AppendData(chunk);
                        }
                    }
                }

                stream.Write(hash.GetHashAndReset());
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Reads the snapshot file <paramref name="path"/> of <paramref name="module"/> (or of any module compiled from
    /// the same bytes under the same engine configuration). The memory images stay mapped from the file (it may be
    /// deleted or replaced meanwhile: the mapping keeps the old file).
    /// </summary>
    /// <exception cref="SnapshotFormatException">The file is truncated, corrupted, of another format version, engine or module, or malformed.</exception>
    /// <exception cref="FileNotFoundException">There is no file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static StoredSnapshot Read(string path, Module module)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(module);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[HeaderBytes];
        var metadataLength = ReadHeader(header[..RandomAccess.Read(handle, header, 0)], length);

        // The whole file is hashed before any field is believed (the head, kept for parsing, is read once). Where
        // files can be mapped it is hashed straight from the page cache (no copy into a buffer); the same pages then
        // back the memory images.
        var head = new byte[HeaderBytes + metadataLength];
        var hashed = length - HashBytes;
        Span<byte> stored = stackalloc byte[HashBytes];
        Span<byte> actual = stackalloc byte[HashBytes];
        if (!HashMapped(handle, length, head, actual, stored))
        {
            HashRead(handle, hashed, head, actual);
            if (RandomAccess.Read(handle, stored, hashed) != HashBytes)
            {
                throw new SnapshotFormatException("the file's hash does not match its contents (corrupted or truncated)", hashed);
            }
        }

        if (!actual.SequenceEqual(stored))
        {
            throw new SnapshotFormatException("the file's hash does not match its contents (corrupted or truncated)", hashed);
        }

        var (layout, wasi, embedder, unit, dataStart) = Parse(head, length, module);
        var images = new MemoryImage[layout.Memories.Length];
        try
        {
            var map = MemoryMapping.Supported && unit % Environment.SystemPageSize == 0;
            for (var i = 0; i < images.Length; i++)
            {
                var memory = layout.Memories[i];
                var runs = memory.Runs.Select(r => r with { FileOffset = dataStart + r.FileOffset }).ToArray();
                images[i] = map ? MapImage(handle, memory.Length, runs) : MemoryImage.FromCopy(memory.Length, runs, (run, target) => ReadExactly(handle, target, run.FileOffset));
            }
        }
        catch
        {
            foreach (var image in images)
            {
                image?.Dispose();
            }

            throw;
        }

        return new StoredSnapshot(InstanceSnapshot.FromLayout(module, layout, images), wasi, embedder) { IsFromFile = true };
    }

    /// <summary>
    /// Checks and decodes a whole snapshot file held in memory (memory images are copies): what <see cref="Read"/>
    /// does without the file system. For tests of the reader.
    /// </summary>
    /// <exception cref="SnapshotFormatException">As <see cref="Read"/>.</exception>
    internal static StoredSnapshot Decode(ReadOnlySpan<byte> file, Module module)
    {
        var metadataLength = ReadHeader(file[..Math.Min(HeaderBytes, file.Length)], file.Length);
        var hashed = file.Length - HashBytes;
        if (!SHA256.HashData(file[..hashed]).AsSpan().SequenceEqual(file[hashed..]))
        {
            throw new SnapshotFormatException("the file's hash does not match its contents (corrupted or truncated)", hashed);
        }

        var (layout, wasi, embedder, _, dataStart) = Parse(file[..(HeaderBytes + metadataLength)], file.Length, module);
        var copy = file.ToArray();
        var images = layout.Memories
            .Select(m => MemoryImage.FromCopy(m.Length, m.Runs, (run, target) => copy.AsSpan((int)(dataStart + run.FileOffset), target.Length).CopyTo(target)))
            .ToArray();
        return new StoredSnapshot(InstanceSnapshot.FromLayout(module, layout, images), wasi, embedder) { IsFromFile = true };
    }

    /// <summary>Checks the fixed header; returns the metadata length.</summary>
    private static int ReadHeader(ReadOnlySpan<byte> header, long fileLength)
    {
        if (header.Length < HeaderBytes || fileLength < HeaderBytes + HashBytes)
        {
            throw new SnapshotFormatException("the file is truncated (shorter than a header and a hash)", Math.Min(header.Length, fileLength));
        }

        if (!header[..8].SequenceEqual(Magic))
        {
            throw new SnapshotFormatException("not a snapshot file (bad magic)", 0);
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw new SnapshotFormatException($"snapshot format version {version}, this engine reads {FormatVersion}", 8);
        }

        var metadataLength = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (metadataLength > fileLength - HeaderBytes - HashBytes)
        {
            throw new SnapshotFormatException($"metadata length {metadataLength} runs past the end of the file (truncated)", 12);
        }

        return (int)metadataLength;
    }

    private static (InstanceSnapshot.Layout Layout, WasiStartupState? Wasi, byte[] Embedder, int Unit, long DataStart) Parse(ReadOnlySpan<byte> head, long fileLength, Module module)
    {
        var reader = new SnapshotReader(head[HeaderBytes..], HeaderBytes);
        var config = module.Engine.Config;
        if (reader.ReadString() != ModuleCache.Fingerprint(config))
        {
            throw new SnapshotFormatException("the snapshot was written by another engine build or configuration", HeaderBytes);
        }

        var keyAt = reader.BaseOffset + reader.BytesConsumed;
        var key = reader.ReadRaw(32);
        var wasmHash = reader.ReadRaw(32);
        if (!key.SequenceEqual(ModuleIdentity.Of(module)))
        {
            throw new SnapshotFormatException($"the snapshot is of another module (wasm sha256 {Convert.ToHexStringLower(wasmHash)})", keyAt);
        }

        if (reader.ReadByte() != (byte)config.FloatPolicy)
        {
            throw reader.Fail("the snapshot's float policy differs from the engine's");
        }

        var unit = reader.ReadUInt32();
        if (!BitOperations.IsPow2(unit) || unit < MinimumUnit || unit > Memory.PageSize)
        {
            throw reader.Fail($"page unit {unit} is not a power of two between {MinimumUnit} and {Memory.PageSize}");
        }

        var wasi = reader.ReadBoolean() ? WasiStartupState.Read(ref reader) : null;
        var embedder = reader.ReadBytes().ToArray();
        var dataStart = AlignUp(head.Length, (int)unit);
        var dataLength = fileLength - HashBytes - dataStart;
        if (dataLength < 0)
        {
            throw reader.Fail("the file is shorter than its metadata and padding (truncated)");
        }

        var layout = InstanceSnapshot.Decode(ref reader, module, (int)unit, dataLength);
        if (reader.BytesRemaining != 0)
        {
            throw reader.Fail($"{reader.BytesRemaining} bytes after the metadata's last field");
        }

        return (layout, wasi, embedder, (int)unit, dataStart);
    }

    // Hashes everything before the stored hash from a read-only mapping of the file; false when it cannot be mapped.
    private static unsafe bool HashMapped(SafeFileHandle handle, long length, Span<byte> head, Span<byte> actual, Span<byte> stored)
    {
        if (!MemoryMapping.Supported)
        {
            return false;
        }

        var view = MemoryMapping.Map(null, (ulong)length, MemoryMapping.ProtRead, MemoryMapping.MapPrivate, (int)handle.DangerousGetHandle());
        if (view == null)
        {
            return false;
        }

        try
        {
            var hashed = length - HashBytes;
            if (hashed <= int.MaxValue)
            {
                SHA256.HashData(new ReadOnlySpan<byte>(view, (int)hashed), actual);
            }
            else
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                for (long offset = 0; offset < hashed; offset += 1 << 30)
                {
                    hash.AppendData(new ReadOnlySpan<byte>(view + offset, (int)Math.Min(1 << 30, hashed - offset)));
                }

                hash.GetHashAndReset(actual);
            }

            new ReadOnlySpan<byte>(view, head.Length).CopyTo(head);
            new ReadOnlySpan<byte>(view + hashed, HashBytes).CopyTo(stored);
            return true;
        }
        finally
        {
            MemoryMapping.Unmap(view, (ulong)length);
        }
    }

    // Hashes everything before the stored hash by reading the file in chunks, keeping the head.
    private static void HashRead(SafeFileHandle handle, long hashed, byte[] head, Span<byte> actual)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[(int)Math.Min(ChunkBytes, Math.Max(1, hashed))];
        for (long offset = 0; offset < hashed;)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, hashed - offset)), offset);
            if (read == 0)
            {
                throw new SnapshotFormatException("the file shrank while it was read", offset);
            }

            if (offset < head.Length)
            {
                buffer.AsSpan(0, (int)Math.Min(read, head.Length - offset)).CopyTo(head.AsSpan((int)offset));
            }

            hash.AppendData(buffer, 0, read);
            offset += read;
        }

        hash.GetHashAndReset(actual);
    }

    private static MemoryImage MapImage(SafeFileHandle handle, long length, PageRun[] runs)
    {
        var fd = MemoryMapping.Duplicate(handle.DangerousGetHandle());
        return fd >= 0 ? MemoryImage.FromFile(length, fd, runs) : throw new IOException("cannot duplicate the snapshot file's descriptor");
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> target, long offset)
    {
        while (target.Length > 0)
        {
            var read = RandomAccess.Read(handle, target, offset);
            if (read == 0)
            {
                throw new SnapshotFormatException("the file shrank while it was read", offset);
            }

            target = target[read..];
            offset += read;
        }
    }

    private static long AlignUp(long value, int unit) => (value + unit - 1) / unit * unit;

    private static int AlignUp(int value, int unit) => (value + unit - 1) / unit * unit;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
