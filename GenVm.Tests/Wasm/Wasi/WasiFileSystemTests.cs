using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

[TestFixture]
public sealed class WasiFileSystemTests
{
    [TestCase("", "a/b", "a/b")]
    [TestCase("", "./a//b/", "a/b")]
    [TestCase("d", "../x", "x")]
    [TestCase("d/e", "..", "d")]
    [TestCase("", ".", "")]
    public void Normalize_RelativePath_JoinsInsideRoot(string directory, string relative, string expected)
    {
        var errno = WasiFileSystem.Normalize(directory, relative, out var path);
        Assert.That(errno, Is.EqualTo(WasiErrno.Success));
        Assert.That(path, Is.EqualTo(expected));
    }

    [TestCase("", "..")]
    [TestCase("d", "../../x")]
    [TestCase("", "/etc/passwd")]
    [TestCase("", "a\0b")]
    public void Normalize_EscapingOrAbsolutePath_ReturnsNotCapable(string directory, string relative)
    {
        Assert.That(WasiFileSystem.Normalize(directory, relative, out _), Is.EqualTo(WasiErrno.NotCapable));
    }
}
