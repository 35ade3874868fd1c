namespace GenVm.Host.Manager;

/// <summary><c>POST /genvm/run/readonly</c>: the contract's <c>#get-schema</c> on an embedded host (manager.md §5.5).</summary>
internal sealed class ReadonlyRunner
{
    /// <summary>Runs <c>#get-schema</c> of <paramref name="code"/> and returns the schema text.</summary>
    /// <exception cref="ManagerException">Until the embedded run lands: the reference's error text.</exception>
    public Task<string> GetSchemaAsync(byte[] code, DateTimeOffset timestamp, CancellationToken cancellationToken)
        => throw new ManagerException("readonly execution is not implemented yet");
}
