using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary><c>#get-schema</c> of <c>examples/counter.py</c> through the real <c>genvm exec</c> process.</summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CounterSchemaExampleTests
{
    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    [Test]
    public void Exec_GetSchema_ReturnsTheSchemaJsonString()
    {
        // python-sdk.md §7: compact JSON, ctor params only, methods sorted by name, `payable` only on write methods,
        // u256 (a NewType of int) and int both map to "int".
        const string json = "{\"ctor\":{\"params\":[[\"start\",\"int\"]],\"kwparams\":{}},"
            + "\"methods\":{\"add\":{\"params\":[[\"by\",\"int\"]],\"kwparams\":{},\"readonly\":false,\"ret\":\"int\",\"payable\":false},"
            + "\"get\":{\"params\":[],\"kwparams\":{},\"readonly\":true,\"ret\":\"int\"}}}";

        var schema = _exec!.Run("counter.py", "--method", "#get-schema", "--state", Path.Combine(_exec.Directory, "state.json"));

        // calldata.md: a string is the varint (length << 3) | 4, here (216 << 3) | 4 = 1732 = c4 0d; c4 alone is not
        // UTF-8 and 0d is a control character (calldata.md §9.1 rendering).
        Assert.That(json, Has.Length.EqualTo(216));
        Assert.That(schema.ExitCode, Is.Zero, schema.Stderr);
        Assert.That(schema.Stdout, Is.EqualTo("executed with `Return(\"\\c4\\x0d" + json + "\")`\n"), schema.Stderr);
    }
}
