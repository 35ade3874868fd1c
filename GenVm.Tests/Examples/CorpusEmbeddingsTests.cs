using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus embeddings cases (contract-corpus.md §2.5 simple, simple_det, vecdb, simple_tokenizer; §3 row 6) through
/// <c>genvm exec</c>: they depend on the embeddings, model and word-piece runners (python-sdk.md §20.5), which this
/// GenVM does not ship yet (runners-manifest.json <c>not_shipped</c>). A tag without an entry and a reference id we do
/// not ship fail the same way (runners.md §5): <c>VMError("invalid_contract")</c> before the contract starts, in every
/// call, before any of its code runs. Contracts: <c>Corpus/embeddings.py</c>, <c>embeddings_pinned.py</c>, <c>tokenizer.py</c>.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusEmbeddingsTests : CorpusFixture
{
    private const string InvalidContract = "executed with `VMError(\"invalid_contract\")`\n";

    [TestCase("embeddings.py", "det")]
    [TestCase("embeddings.py", "nondet")]
    [TestCase("embeddings.py", "store")]
    [TestCase("embeddings_pinned.py", "size")]
    [TestCase("tokenizer.py", "ids")]
    public async Task Exec_ContractDependingOnRunnersNotShipped_EndsWithInvalidContract(string contract, string method)
    {
        var deploy = await Exec.RunAsync(contract, "--deploy");
        var call = await Exec.RunAsync(contract, "--method", method);

        // Exactly the result line: no print (the contract's code never ran) and no storage change.
        Assert.That(deploy, Is.EqualTo(InvalidContract));
        Assert.That(call, Is.EqualTo(InvalidContract));
    }
}
