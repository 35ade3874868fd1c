using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// The README's first command (<c>scripts/demo</c>) end to end: <c>examples/counter.py</c> deployed and called through the
/// real <c>genvm exec</c> process, our packed runners, CPython and our <c>genlayer</c> SDK.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CounterExampleTests
{
    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    [Test]
    public void Exec_DeployAddGet_ReturnsTheSumAndStoresItLittleEndian()
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        var deploy = _exec.Run("counter.py", "--deploy", "--args", "[5]", "--state", state);
        var add = _exec.Run("counter.py", "--method", "add", "--args", "[3]", "--state", state);
        var get = _exec.Run("counter.py", "--method", "get", "--state", state);

        Assert.That(deploy.ExitCode, Is.Zero, deploy.Stderr);
        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        // python-sdk.md §17.3: a u256 field is 32 little-endian bytes at the root record's slot.
        Assert.That(deploy.Stdout, Does.Contain("(empty) -> 0x0500000000000000000000000000000000000000000000000000000000000000"));
        // calldata.md: 8 is the unsigned-integer tag 1 with value 8 << 3, one byte 0x41 ('A').
        Assert.That(add.Stdout, Does.StartWith("executed with `Return(\"A\")`\n"), add.Stderr);
        Assert.That(add.Stdout, Does.Contain("0x0500000000000000000000000000000000000000000000000000000000000000 -> 0x08"));
        Assert.That(get.Stdout, Is.EqualTo("executed with `Return(\"A\")`\n"), get.Stderr);
    }
}
