using System.Runtime.InteropServices;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class MappedFileTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("genvm-mapped-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private string Write(byte[] contents)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, contents);
        return path;
    }

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Test]
    public void Read_LargeFile_MappedAndSameBytes()
    {
        var contents = Pattern(3 << 20);
        var memory = MappedFile.Read(Write(contents));
        Assert.That(MemoryMarshal.TryGetArray(memory, out _), Is.False, "a file of at least the threshold is mapped, not copied");
        Assert.That(memory.Span.SequenceEqual(contents), Is.True);
    }

    [Test]
    public void Read_SmallFile_PlainArray()
    {
        var contents = Pattern(1000);
        var memory = MappedFile.Read(Write(contents));
        Assert.That(MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array!.Length == 1000, Is.True);
        Assert.That(memory.ToArray(), Is.EqualTo(contents));
    }

    [Test]
    public void Read_EmptyFileWithZeroThreshold_EmptyArray()
    {
        var memory = MappedFile.Read(Write([]), minimumMappedBytes: 0);
        Assert.That(memory.Length, Is.Zero);
    }

    [Test]
    public void Read_FileReplacedAndDeletedAfterward_SlicesKeepTheOldBytesAfterCollections()
    {
        var contents = Pattern(2 << 20);
        var path = Write(contents);
        var slice = MappedFile.Read(path, minimumMappedBytes: 1).Slice(4096, 8192);

        // Runner tars are replaced by rename (pack-runners.py); the mapping keeps the replaced file's bytes.
        var replacement = Path.Combine(_directory, "replacement");
        File.WriteAllBytes(replacement, new byte[contents.Length]);
        File.Move(replacement, path, overwrite: true);
        File.Delete(path);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(slice.Span.SequenceEqual(contents.AsSpan(4096, 8192)), Is.True);
        using var pin = slice.Pin();
        unsafe
        {
            Assert.That(*(byte*)pin.Pointer, Is.EqualTo(contents[4096]));
        }
    }

    [Test]
    public void Read_SameFileTwice_OneMappingAndAReplacedFileMappedAnew()
    {
        var path = Write(Pattern(2 << 20));
        Assert.That(MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(MappedFile.Read(path), out var first), Is.True);
        Assert.That(MemoryMarshal.TryGetMemoryManager<byte, System.Buffers.MemoryManager<byte>>(MappedFile.Read(path), out var second), Is.True);
        Assert.That(second, Is.SameAs(first));

        var replacement = Path.Combine(_directory, "replacement");
        File.WriteAllBytes(replacement, Pattern(3 << 20));
        File.Move(replacement, path, overwrite: true);
        var third = MappedFile.Read(path);
        Assert.That(third.Length, Is.EqualTo(3 << 20));
        Assert.That(third.Span.SequenceEqual(Pattern(3 << 20)), Is.True);
    }

    [Test]
    public void Read_MissingFile_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => MappedFile.Read(Path.Combine(_directory, "missing")));
    }
}
