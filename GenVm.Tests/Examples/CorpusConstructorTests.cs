using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus constructor dispatch (contract-corpus.md §2.8 meth/method_init, meth/method_init_wrong_name; python-sdk.md
/// §6.1) through <c>genvm exec --deploy</c>: a deployment calls <c>__init__</c> with the calldata's args whatever
/// method name the calldata carries.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusConstructorTests : CorpusFixture
{
    [TestCase("__init__", 6, "1")]
    [TestCase("nope", 5, ")")]
    [TestCase("set", 7, "9")]
    public async Task Exec_DeployWithAnyMethodName_RunsTheConstructor(string method, int value, string rendered)
    {
        var deploy = await Exec.ResultAsync("init_dispatch.py", "--deploy", "--method", method, "--args", $"[{value}]");
        var get = await Exec.ResultAsync("init_dispatch.py", "--method", "get");

        // §6.1 step 4: is_init → the class __init__, the method key ignored; `set` did not run (no "set" line).
        Assert.That(deploy, Is.EqualTo($"constructor {value}\nexecuted with `Return(\"\\x00\")`\n"));
        // The stored value read back: calldata int (value << 3) | 1, a printable octet (calldata.md §9.1).
        Assert.That((int)rendered[0], Is.EqualTo((value << 3) | 1));
        Assert.That(get, Is.EqualTo($"executed with `Return(\"{rendered}\")`\n"));
    }
}
