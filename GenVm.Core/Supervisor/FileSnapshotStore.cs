using System.Text;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Snapshots;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Keeps <see cref="SnapshotInstanceFactory"/>'s start-up snapshots as snapshot files (<see cref="SnapshotFile"/>) in a
/// <see cref="SnapshotCache"/> folder, so a fresh <c>genvm exec</c> or <c>genvm run</c> process restores the started
/// interpreter instead of booting it. The file's module identity covers the wasm bytes and the engine configuration;
/// the variant is <see cref="VmSnapshotKey.Digest"/> (mode, module, args, environment); the embedder section holds the
/// rest of the <see cref="VmSnapshot"/>: det random outputs consumed, descriptor numbering and the file-system trace,
/// in which every file the start-up read is named by its length, SHA-256 and origin (runner id and member path) rather
/// than stored (a restore recognises runner files by origin and hashes only the others:
/// <see cref="DetStartupTrace.FileIdentity.Matches"/>). A file that cannot be trusted is deleted and the key boots and
/// captures again. Thread-safe.
/// </summary>
internal sealed class FileSnapshotStore(SnapshotCache cache) : IVmSnapshotStore
{
    // Bumped when the embedder section's layout changes.
    private const string SectionTag = "genvm-vm-snapshot-section/2";

    /// <summary>The folder.</summary>
    public SnapshotCache Cache { get; } = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <inheritdoc/>
    public VmSnapshot? TryLoad(VmSnapshotKey key, Module module)
    {
        ArgumentNullException.ThrowIfNull(key);
        var variant = Variant(key);
        var timing = PhaseTimings.Start();
        var stored = Cache.TryLoad(module, variant);
        timing = PhaseTimings.Stop("snapshot read", timing);
        if (stored is null)
        {
            return null;
        }

        try
        {
            var section = Decode(stored.EmbedderData.Span);
            PhaseTimings.Stop("snapshot section", timing);
            return new VmSnapshot(stored.Snapshot, section.RandomWords, section.Descriptors, section.Trace);
        }
        catch (SnapshotFormatException ex)
        {
            stored.Dispose();
            Cache.Remove(module, variant, ex.Message);
            return null;
        }
    }

    /// <inheritdoc/>
    public void Save(VmSnapshotKey key, VmSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(snapshot);

        // Not disposed: the factory keeps the snapshot (StoredSnapshot.Dispose would release its images).
        Cache.TryStore(Variant(key), new StoredSnapshot(snapshot.Instance, wasi: null, Encode(snapshot)));
    }

    /// <summary>The embedder section of <paramref name="snapshot"/>.</summary>
    internal static byte[] Encode(VmSnapshot snapshot)
    {
        var writer = new SnapshotWriter();
        writer.WriteString(SectionTag);
        writer.WriteInt64(snapshot.RandomWords);
        var (next, free, newNumbers) = snapshot.Descriptors;
        writer.WriteUInt32(next);
        writer.WriteUInt32((uint)free.Length);
        foreach (var number in free)
        {
            writer.WriteUInt32(number);
        }

        writer.WriteInt32(newNumbers);
        writer.WriteUInt32((uint)snapshot.Trace.Lookups.Count);
        foreach (var lookup in snapshot.Trace.Lookups)
        {
            writer.WriteString(lookup.Path);
            writer.WriteUInt32((uint)lookup.Errno);
            writer.WriteByte(lookup.IsDirectory ? (byte)1 : (byte)0);
            if (lookup.File is not { } file)
            {
                writer.WriteByte(0);
                continue;
            }

            // The file's identity, never its bytes: a restore recognises runner files by origin, others by hash.
            writer.WriteByte(file.Origin is null ? (byte)1 : (byte)2);
            writer.WriteInt64(file.Length);
            writer.WriteRaw(file.Hash());
            if (file.Origin is { } origin)
            {
                writer.WriteString(origin);
            }
        }

        writer.WriteUInt32((uint)snapshot.Trace.Listings.Count);
        foreach (var listing in snapshot.Trace.Listings)
        {
            writer.WriteString(listing.Path);
            writer.WriteString(listing.Names);
        }

        return writer.Encode();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    /// <exception cref="SnapshotFormatException">The section is of another layout or malformed.</exception>
    internal static (long RandomWords, (uint Next, uint[] Free, int NewNumbers) Descriptors, DetStartupTrace Trace) Decode(ReadOnlySpan<byte> section)
    {
        var reader = new SnapshotReader(section);
        if (reader.ReadString() != SectionTag)
        {
            throw new SnapshotFormatException("the executor's section is of another layout", 0);
        }

        var randomWords = reader.ReadInt64();
        if (randomWords < 0)
        {
            throw reader.Fail("negative random word count");
        }

        var next = reader.ReadUInt32();
        var free = new uint[reader.ReadCount(4)];
        for (var i = 0; i < free.Length; i++)
        {
            free[i] = reader.ReadUInt32();
        }

        var newNumbers = reader.ReadInt32();
        var lookups = new DetStartupTrace.Lookup[reader.ReadCount(10)];
        for (var i = 0; i < lookups.Length; i++)
        {
            var path = reader.ReadString();
            var errno = reader.ReadUInt32();
            if (errno > ushort.MaxValue)
            {
                throw reader.Fail($"errno {errno} out of range");
            }

            var isDirectory = reader.ReadBoolean();
            var kind = reader.ReadByte();
            DetStartupTrace.FileIdentity? file = null;
            if (kind is 1 or 2)
            {
                var length = reader.ReadInt64();
                if (length < 0)
                {
                    throw reader.Fail($"negative file length {length}");
                }

                file = new DetStartupTrace.FileIdentity(length, null, reader.ReadRaw(32).ToArray(), null);
                if (kind == 2)
                {
                    file = file with { Origin = reader.ReadString() };
                }
            }
            else if (kind != 0)
            {
                throw reader.Fail($"file kind {kind} is not 0, 1 or 2");
            }

            if (file is not null && (isDirectory || errno != (uint)WasiErrno.Success))
            {
                throw reader.Fail("a file given for a lookup that found no file");
            }

            lookups[i] = new DetStartupTrace.Lookup(path, (WasiErrno)errno, file, isDirectory);
        }

        var listings = new DetStartupTrace.Listing[reader.ReadCount(8)];
        for (var i = 0; i < listings.Length; i++)
        {
            listings[i] = new DetStartupTrace.Listing(reader.ReadString(), reader.ReadString());
        }

        if (reader.BytesRemaining != 0)
        {
            throw reader.Fail("bytes after the executor's section");
        }

        return (randomWords, (next, free, newNumbers), new DetStartupTrace(lookups, listings));
    }

    private static byte[] Variant(VmSnapshotKey key) => Encoding.UTF8.GetBytes(key.Digest);
}
