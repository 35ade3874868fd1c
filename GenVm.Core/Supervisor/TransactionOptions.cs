namespace GenVm.Core.Supervisor;

/// <summary>Per-run settings of <see cref="TransactionSupervisor"/>.</summary>
internal sealed class TransactionOptions
{
    /// <summary>The guest's stdout (fd 1); null discards.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>The guest's stderr (fd 2); null discards.</summary>
    public Stream? Stderr { get; init; }
}
