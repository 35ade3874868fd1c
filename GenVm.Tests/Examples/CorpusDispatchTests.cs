using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus dispatch cases (contract-corpus.md §2.4 undefined_all, undefined_method, undefined_method_payable,
/// undefined_receive; §2.9 error_msg, error_msg_overridden, multi_contract, pub_ctor; python-sdk.md §4.1, §6.1)
/// through <c>genvm exec</c>: which hook a call without a matching public method reaches, with and without value.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusDispatchTests : CorpusFixture
{
    private const string Ok = "executed with `Return(\"\\x00\")`\n";

    private const string Exit1 = "executed with `VMError(\"exit_code 1\")`\n";

    [Test]
    public async Task Exec_CallsWithoutAMatchingMethod_ReachTheFallbacksTheChecksAllow()
    {
        await Exec.RunAsync("dispatch.py", "--deploy");

        // §6.1: an unknown name goes to __handle_undefined_method__(name, args, kwargs) if it passes the checks; it is
        // not payable, so the same call with value fails.
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "nope", "--args", "[1]"), Is.EqualTo("undefined 'nope' [1] {} 0\n" + Ok));
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "nope", "--value", "100"), Is.EqualTo(Exit1));
        // The empty method name: __receive__ first (payable, so with or without value).
        Assert.That(await Exec.ResultAsync("dispatch.py", "--calldata", "{}", "--value", "100"), Is.EqualTo("receive 100\n" + Ok));
        Assert.That(await Exec.ResultAsync("dispatch.py", "--calldata", "{}"), Is.EqualTo("receive 0\n" + Ok));
        // #error goes to __on_errored_message__ without checks.
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "#error", "--value", "7"), Is.EqualTo("errored 7\n" + Ok));
        // A public non-payable method with value, an unknown special method and a __ name all fail.
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "plain", "--value", "5"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "#nope"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "__receive__"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("dispatch.py", "--method", "plain"), Is.EqualTo("plain\n" + Ok));
    }

    [Test]
    public async Task Exec_ContractWithoutHandlers_RefusesUnknownCallsAndKeepsTheDefaultErrorHandler()
    {
        Assert.That(await Exec.ResultAsync("no_handlers.py", "--deploy"), Is.EqualTo(Ok));

        // §4.1: the base __receive__ and __handle_undefined_method__ are abstract.
        Assert.That(await Exec.ResultAsync("no_handlers.py", "--method", "nope"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("no_handlers.py", "--calldata", "{}"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("no_handlers.py", "--calldata", "{}", "--value", "100"), Is.EqualTo(Exit1));
        // The base __on_errored_message__ is a public payable write that does nothing.
        Assert.That(await Exec.ResultAsync("no_handlers.py", "--method", "#error", "--value", "3"), Is.EqualTo(Ok));
    }

    [Test]
    public async Task Exec_TwoContractClassesOrAPublicConstructor_FailWithExitCode1()
    {
        // §4.1: the second gl.Contract subclass is a TypeError at class creation; §6.1: a public __init__ is refused
        // before it runs.
        Assert.That(await Exec.ResultAsync("two_contracts.py", "--deploy"), Is.EqualTo(Exit1));
        Assert.That(await Exec.ResultAsync("public_ctor.py", "--deploy"), Is.EqualTo(Exit1));
    }
}
