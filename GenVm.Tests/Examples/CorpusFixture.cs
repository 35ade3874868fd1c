using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Base of the corpus fixtures that run plain <c>genvm exec</c> (no modules): each test gets its own
/// <see cref="CorpusExec"/>, so its state file starts empty, and is ignored when the packed runners are missing.
/// </summary>
public abstract class CorpusFixture
{
    private CorpusExec? _exec;

    /// <summary>This test's <c>genvm exec</c> with its own state file.</summary>
    private protected CorpusExec Exec => _exec ?? throw new InvalidOperationException("the corpus exec exists only during a test");

    [SetUp]
    public void CreateExec() => _exec = CorpusExec.CreateOrIgnore();

    [TearDown]
    public async Task DisposeExecAsync()
    {
        if (_exec is not null)
        {
            await _exec.DisposeAsync();
            _exec = null;
        }
    }
}
