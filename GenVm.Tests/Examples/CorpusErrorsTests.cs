using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus dispatch, error and schema cases (contract-corpus.md §2.2 method_init/method_private, §2.8, §2.10 simple,
/// §2.12; python-sdk.md §6, §7) through <c>genvm exec</c>, with the result lines of calldata.md §9.1.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusErrorsTests : CorpusFixture
{
    [Test]
    public async Task Exec_EachWayOfEnding_GivesTheSpecResultLineAndKeepsOnlyReturnedWrites()
    {
        await Exec.RunAsync("errors.py", "--deploy");

        // §6.3: UserError → Rollback; its write (count = 2) is discarded by the host.
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "user_error"), Is.EqualTo("executed with `UserError(\"bad input\")`\n"));
        // user_error_immediate: no unwinding, the finally block does not print.
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "immediate"), Is.EqualTo("executed with `UserError(\"at once\")`\n"));
        // exit(n): 0 is Return(null), 0 < n < 126 is exit_code n, larger is reported as 125.
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "exit_code", "--args", "[3]"), Is.EqualTo("executed with `VMError(\"exit_code 3\")`\n"));
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "exit_code", "--args", "[0]"), Is.EqualTo("executed with `Return(\"\\x00\")`\n"));
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "exit_code", "--args", "[200]"), Is.EqualTo("executed with `VMError(\"exit_code 125\")`\n"));
        // Any other exception, a private method, __init__ outside deployment and an unknown method: exit code 1.
        foreach (var method in new[] { "crash", "private", "__init__", "nope" })
        {
            Assert.That(await Exec.ResultAsync("errors.py", "--method", method), Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"), method);
        }

        // §6.4: {'x': 10} → 0e 01 78 51.
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "ret"), Is.EqualTo("executed with `Return(\"\\x0e\\x01xQ\")`\n"));
        // count is still the constructor's 1 = calldata 09.
        Assert.That(await Exec.ResultAsync("errors.py", "--method", "get"), Is.EqualTo("executed with `Return(\"\\x09\")`\n"));
    }

    [Test]
    public async Task Exec_GetSchema_DescribesEveryParameterKindAndType()
    {
        // §7: compact JSON, methods sorted, private ones left out; Optional/Union → $or in declaration order, generic
        // sequences → [{"$rep": T}], str-keyed mappings → {"$dict": V}, a dataclass → its fields, tuple[A, B] → [A, B],
        // positional-only → params, keyword-only → kwparams, no annotation and Any → "any", NewTypes → "int".
        const string json = "{\"ctor\":{\"params\":[[\"x\",\"int\"]],\"kwparams\":{\"name\":\"string\"}},\"methods\":{"
            + "\"complex\":{\"params\":[[\"a\",{\"$or\":[\"string\",\"null\"]}],[\"b\",[{\"$rep\":\"int\"}]],[\"c\",[{\"$rep\":\"address\"}]],"
            + "[\"d\",{\"$dict\":\"int\"}],[\"e\",{\"$or\":[\"int\",\"string\"]}]],\"kwparams\":{\"f\":{\"a\":\"int\",\"b\":\"string\"}},"
            + "\"readonly\":false,\"ret\":[\"int\",\"string\"],\"payable\":false},"
            + "\"pay\":{\"params\":[[\"anything\",\"any\"]],\"kwparams\":{\"rep\":[{\"$rep\":\"int\"}]},\"readonly\":false,\"ret\":\"any\",\"payable\":true},"
            + "\"prims\":{\"params\":[[\"a\",\"bool\"],[\"b\",\"string\"],[\"c\",\"bytes\"],[\"d\",\"address\"],[\"e\",\"int\"],[\"f\",\"null\"]],"
            + "\"kwparams\":{},\"readonly\":true,\"ret\":\"int\"}}}";

        var schema = await Exec.ResultAsync("schema.py", "--method", "#get-schema");
        var floaty = await Exec.ResultAsync("schema_float.py", "--method", "#get-schema");

        Assert.That(schema, Is.EqualTo(CorpusExec.ReturnsString(json)));
        // ret-float: a float annotation raises, exit code 1.
        Assert.That(floaty, Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"));
    }
}
