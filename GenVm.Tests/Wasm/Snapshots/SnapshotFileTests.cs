using System.Buffers.Binary;
using System.Security.Cryptography;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// <see cref="SnapshotFile"/>: a written and read snapshot restores bit for bit like the captured instance (mapped
/// from the file on Linux, only the non-zero page runs stored); WASI start-up state and embedder bytes round-trip; a
/// corrupted, truncated, foreign-version, foreign-engine or foreign-module file is refused with
/// <see cref="SnapshotFormatException"/>; and the reader, fed mutated files, throws nothing else.
/// </summary>
[TestFixture]
public sealed class SnapshotFileTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("genvm-snapfile-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Read_WrittenSnapshot_RestoresBitForBitLikeTheCapturedInstance()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var expected = SnapshotFixture.Reference(module);
        var path = WriteStarted(module);

        // Another Module object from the same bytes: what a fresh process has.
        var again = SnapshotFixture.Load(engine);
        using var read = SnapshotFile.Read(path, again);
        using var store = new Store(engine);
        var restored = read.Snapshot.Instantiate(SnapshotFixture.Linked(engine), store);

        Assert.That(read.IsFromFile, Is.True);
        Assert.That(read.Snapshot.IsMapped, Is.EqualTo(OperatingSystem.IsLinux()));
        Assert.That(read.Snapshot.MemoryBytes, Is.EqualTo(SnapshotFixture.MemoryBytes));
        Assert.That(SnapshotFixture.Steps(restored), Is.EqualTo(expected));
        Assert.That(Assert.Throws<WasmTrapException>(() => SnapshotFixture.Call(restored, "init_dropped_data"))!.Code, Is.EqualTo(TrapCode.MemoryOutOfBounds));
        Assert.That(Assert.Throws<WasmTrapException>(() => SnapshotFixture.Call(restored, "init_dropped_elem"))!.Code, Is.EqualTo(TrapCode.TableOutOfBounds));
    }

    [Test]
    public void Read_RestoredTwiceAndWritten_EachRestoreStartsFromTheFile()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var expected = SnapshotFixture.Reference(module);
        var path = WriteStarted(module);

        using var read = SnapshotFile.Read(path, module);
        using var store = new Store(engine);
        var instance = read.Snapshot.Instantiate(SnapshotFixture.Linked(engine), store);
        SnapshotFixture.Steps(instance);
        read.Snapshot.Restore(instance);
        Assert.That(SnapshotFixture.Steps(instance), Is.EqualTo(expected), "the guest's writes went to private pages, not the file");

        // A snapshot read from a file can be written again (a copy of the same state).
        var copy = Path.Combine(_directory, "copy.gvms");
        SnapshotFile.Write(copy, read);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(path)));
    }

    [Test]
    public void Write_SparseMemory_StoresOnlyTheNonZeroPageRuns()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var path = WriteStarted(module);

        // Four non-zero 4 KiB pages far apart of a 2 MiB memory: the head page plus four data pages and the hash.
        var unit = Math.Max(4096, Environment.SystemPageSize);
        Assert.That(new FileInfo(path).Length, Is.EqualTo((5 * unit) + 32));
    }

    [Test]
    public void Read_FileReplacedOrDeletedAfterRead_RestoresTheContentsItRead()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var expected = SnapshotFixture.Reference(module);
        var path = WriteStarted(module);

        using var read = SnapshotFile.Read(path, module);
        using (var other = new StoredSnapshot(Capture(module, steps: 2)))
        {
            SnapshotFile.Write(path, other);
        }

        using var store = new Store(engine);
        Assert.That(SnapshotFixture.Steps(read.Snapshot.Instantiate(SnapshotFixture.Linked(engine), store)), Is.EqualTo(expected), "replaced by rename: the mapping keeps the old file");
        File.Delete(path);
        using var store2 = new Store(engine);
        Assert.That(SnapshotFixture.Steps(read.Snapshot.Instantiate(SnapshotFixture.Linked(engine), store2)), Is.EqualTo(expected), "deleted");
    }

    [Test]
    public void Read_WasiStateAndEmbedderData_RoundTrip()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var path = Path.Combine(_directory, "a.gvms");
        var wasi = Seal(Configuration(["python", "-c", "print(1+1)"], "/py/std"));
        using (var written = new StoredSnapshot(SnapshotFixture.Capture(module), wasi, new byte[] { 1, 2, 3, 0xFF }))
        {
            SnapshotFile.Write(path, written);
        }

        using var read = SnapshotFile.Read(path, module);

        Assert.That(read.EmbedderData.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 0xFF }));
        Assert.That(read.Wasi, Is.Not.Null);
        using (var same = new WasiHost(Configuration(["python", "-c", "print(1+1)"], "/py/std")))
        {
            Assert.DoesNotThrow(() => read.Wasi!.RequireCompatible(same));
        }

        using var otherArgs = new WasiHost(Configuration(["python", "-c", "print(2)"], "/py/std"));
        Assert.Throws<SnapshotMismatchException>(() => read.Wasi!.RequireCompatible(otherArgs));
        using var otherPreopen = new WasiHost(Configuration(["python", "-c", "print(1+1)"], "/py/lib"));
        Assert.Throws<SnapshotMismatchException>(() => read.Wasi!.RequireCompatible(otherPreopen));
    }

    [Test]
    public void Write_PreopenThatIsNotAHostFolder_Refused()
    {
        var engine = new Engine();
        var module = SnapshotFixture.Load(engine);
        var configuration = new WasiConfiguration { Preopens = [new WasiPreopen("/mem", new EmptyFileSystem())] };
        using var contents = new StoredSnapshot(SnapshotFixture.Capture(module), Seal(configuration));
        var path = Path.Combine(_directory, "a.gvms");

        Assert.Throws<SnapshotMismatchException>(() => SnapshotFile.Write(path, contents));
        Assert.That(Directory.GetFiles(_directory), Is.Empty, "no file and no temporary file left");
    }

    [TestCase(0, TestName = "Read_CorruptedByte_Refused(magic)")]
    [TestCase(20, TestName = "Read_CorruptedByte_Refused(metadata)")]
    [TestCase(-40, TestName = "Read_CorruptedByte_Refused(memory page)")]
    [TestCase(-1, TestName = "Read_CorruptedByte_Refused(hash)")]
    public void Read_CorruptedByte_Refused(int position)
    {
        var (module, path) = Written();
        var bytes = File.ReadAllBytes(path);
        bytes[position >= 0 ? position : bytes.Length + position] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, module));
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(47)]
    [TestCase(100)]
    [TestCase(4096)]
    [TestCase(-33)]
    [TestCase(-1)]
    public void Read_Truncated_Refused(int length)
    {
        var (module, path) = Written();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(length >= 0 ? length : bytes.Length + length)]);

        Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, module));
    }

    [Test]
    public void Read_ForeignFormatVersion_Refused()
    {
        var (module, path) = Written();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), SnapshotFile.FormatVersion + 1);
        File.WriteAllBytes(path, Rehashed(bytes));

        var ex = Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, module))!;
        Assert.That(ex.Reason, Does.Contain("format version"));
        Assert.That(ex.Offset, Is.EqualTo(8));
    }

    [Test]
    public void Read_ForeignModule_Refused()
    {
        var (_, path) = Written();
        var other = WatCompiler.Load(new Engine(), SnapshotFixture.Wat.Replace("(i32.const 11)", "(i32.const 12)", StringComparison.Ordinal));

        var ex = Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, other))!;
        Assert.That(ex.Reason, Does.Contain("another module"));
    }

    [Test]
    public void Read_ForeignEngineConfiguration_Refused()
    {
        var (_, path) = Written();
        var fuel = SnapshotFixture.Load(new Engine(new EngineConfig().WithFuel(true)));
        var softfloat = SnapshotFixture.Load(new Engine(new EngineConfig().WithFloatPolicy(FloatPolicy.SoftFloat)));

        Assert.That(Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, fuel))!.Reason, Does.Contain("another engine build or configuration"));
        Assert.That(Assert.Throws<SnapshotFormatException>(() => SnapshotFile.Read(path, softfloat))!.Reason, Does.Contain("another engine build or configuration"));
    }

    [Test]
    public void Decode_MutatedFiles_ThrowOnlyFormatException()
    {
        var (module, path) = Written(wasi: true);
        var original = File.ReadAllBytes(path);
        var metadataEnd = 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(12));
        var random = new Random(20261121);
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Mutate(original, metadataEnd, random);
            // Most mutants get a valid hash, so the parser behind it sees them.
            if (i % 8 != 0 && bytes.Length >= 48)
            {
                bytes = Rehashed(bytes);
            }

            try
            {
                using var decoded = SnapshotFile.Decode(bytes, module);
                accepted++;
            }
            catch (SnapshotFormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutant {i} threw {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.That(accepted, Is.LessThan(3000), "most mutants are refused");
        Assert.That(() => SnapshotFile.Decode(original, module).Dispose(), Throws.Nothing);
    }

    [Test]
    public void Read_MutatedFiles_ThrowOnlyFormatException()
    {
        var (module, path) = Written(wasi: true);
        var original = File.ReadAllBytes(path);
        var metadataEnd = 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(12));
        var random = new Random(17);
        for (var i = 0; i < 200; i++)
        {
            var bytes = Mutate(original, metadataEnd, random);
            File.WriteAllBytes(path, bytes.Length >= 48 && i % 2 == 0 ? Rehashed(bytes) : bytes);
            try
            {
                using var read = SnapshotFile.Read(path, module);
            }
            catch (SnapshotFormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutant {i} threw {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private static byte[] Mutate(byte[] original, int metadataEnd, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                // Flip bits in the header or metadata, where the parser's checks are.
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(metadataEnd)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1:
                // A random 32-bit value over a field (counts, lengths, indices).
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(random.Next(16, metadataEnd - 4)), (uint)random.Next(int.MinValue, int.MaxValue));
                break;
            case 2:
                // A small value (near-valid counts and indices).
                bytes[random.Next(16, metadataEnd)] = (byte)random.Next(0, 8);
                break;
            case 3:
                bytes = bytes[..random.Next(bytes.Length)];
                break;
            default:
                // Bytes inserted into or removed from the metadata (shifts every later field).
                var at = random.Next(16, metadataEnd);
                bytes = random.Next(2) == 0
                    ? [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]]
                    : [.. bytes[..at], .. bytes[(at + 1)..]];
                break;
        }

        return bytes;
    }

    /// <summary>The bytes with the trailing hash recomputed over the rest (a "consistent" forgery).</summary>
    internal static byte[] Rehashed(byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }

    private (Module Module, string Path) Written(bool wasi = false)
    {
        var module = SnapshotFixture.Load(new Engine());
        var path = Path.Combine(_directory, "a.gvms");
        using var contents = new StoredSnapshot(SnapshotFixture.Capture(module), wasi ? Seal(Configuration(["python"], "/py/std")) : null, "embedder"u8.ToArray());
        SnapshotFile.Write(path, contents);
        return (module, path);
    }

    private static InstanceSnapshot Capture(Module module, int steps)
    {
        using var store = new Store(module.Engine);
        var instance = SnapshotFixture.Started(module, store);
        for (var i = 0; i < steps; i++)
        {
            SnapshotFixture.Call(instance, "step");
        }

        return InstanceSnapshot.Capture(instance);
    }

    private WasiConfiguration Configuration(string[] args, string guestPath) => new()
    {
        Args = args,
        Environment = [new("PYTHONHOME", "/py/std")],
        Preopens = [WasiPreopen.FromHostDirectory(_directory, guestPath, readOnly: true)],
    };

    private static WasiStartupState Seal(WasiConfiguration configuration)
    {
        using var host = new WasiHost(configuration);
        return new WasiStartupRecorder(host).Seal();
    }

    /// <summary>A file system with no host folder behind it (such as the executor's in-memory ones).</summary>
    private sealed class EmptyFileSystem : IWasiFileSystem
    {
        public bool IsReadOnly => true;

        public WasiErrno Stat(string path, out WasiFileStat stat)
        {
            stat = default;
            return WasiErrno.NoEntry;
        }

        public WasiErrno OpenFile(string path, bool write, bool create, bool exclusive, bool truncate, out IWasiFile? file)
        {
            file = null;
            return WasiErrno.NoEntry;
        }

        public WasiErrno ReadDirectory(string path, out IReadOnlyList<WasiDirectoryEntry> entries)
        {
            entries = [];
            return WasiErrno.NoEntry;
        }

        public WasiErrno CreateDirectory(string path) => WasiErrno.ReadOnlyFileSystem;

        public WasiErrno RemoveDirectory(string path) => WasiErrno.ReadOnlyFileSystem;

        public WasiErrno UnlinkFile(string path) => WasiErrno.ReadOnlyFileSystem;

        public WasiErrno Rename(string from, string to) => WasiErrno.ReadOnlyFileSystem;
    }

    /// <summary>Writes the started fixture's snapshot of <paramref name="module"/> to <c>a.gvms</c> in the test folder.</summary>
    private string WriteStarted(Module module)
    {
        var path = Path.Combine(_directory, "a.gvms");
        using var written = new StoredSnapshot(SnapshotFixture.Capture(module));
        SnapshotFile.Write(path, written);
        return path;
    }
}
