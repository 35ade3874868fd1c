using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus embeddings cases (contract-corpus.md §2.5 simple, simple_det, vecdb, simple_tokenizer; §3 row 6) through
/// <c>genvm exec</c>: they depend on the embeddings, model and word-piece runners (python-sdk.md §20.5), which this
/// GenVM does not ship yet (runners-manifest.json <c>not_shipped</c>). A tag without an entry and a reference id we do
/// not ship fail the same way (runners.md §5): <c>VMError("invalid_contract")</c> before the contract starts, in every
/// call, before any of its code runs; the executor's log says which runner is missing. Contracts: <c>Corpus/embeddings.py</c>, <c>embeddings_pinned.py</c>, <c>tokenizer.py</c>.
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

    [TestCase("embeddings.py", "invalid runner id `py-lib-genlayer-embeddings:test`: no `test` tag for py-lib-genlayer-embeddings")]
    [TestCase("embeddings_pinned.py", "runner py-lib-genlayer-embeddings:09h0i209wrzh4xzq86f79c60x0ifs7xcjwl53ysrnw06i54ddxyi not found")]
    [TestCase("tokenizer.py", "invalid runner id `py-lib-word_piece_tokenizer:test`: no `test` tag for py-lib-word_piece_tokenizer")]
    public void ExecProcess_ContractDependingOnRunnersNotShipped_LogsWhichRunnerIsMissing(string contract, string detail)
    {
        var exec = ExampleExec.CreateOrIgnore();
        try
        {
            var run = exec.Run(Path.Combine("..", "GenVm.Tests", "Examples", "Corpus", contract), "--deploy");

            // The result is only the spec's VM error; the executor's log record (stderr) names the runner.
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
            Assert.That(run.Stdout, Is.EqualTo(InvalidContract), run.Stderr);
            Assert.That(run.Stderr, Does.Contain("contract not started, invalid_contract: " + detail));
        }
        finally
        {
            exec.Delete();
        }
    }
}
