using GenVm.Core.Protocol;

namespace GenVm.Core.Runners;

/// <summary>
/// Loading a contract or runner failed (runners.md §2-§6). <see cref="VmError"/> is the exact <c>VMError</c>
/// message the VM ends with (<c>invalid_contract</c>, <c>invalid_contract not_utf8_text</c>,
/// <c>version_too_big</c>, <c>OOM</c>, <c>timeout</c> …); <see cref="Exception.Message"/> carries the detail for logs
/// (for example <c>runner py-lib-protobuf:0riri… not found</c>). The only exception type the runner system throws for
/// bad input.
/// </summary>
internal sealed class RunnerLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunnerLoadException(string vmError, string detail, bool isInternalError = false)
        : base(detail)
    {
        VmError = vmError;
        IsInternalError = isInternalError;
    }

    /// <summary>The exact <c>VMError</c> message (wasm-abi.md §14).</summary>
    public string VmError { get; }

    /// <summary>
    /// True when the reference reports an executor internal error instead of a VM error (runners.md §4: the root
    /// action finished without <c>StartWasm</c>).
    /// </summary>
    public bool IsInternalError { get; }

    /// <summary>An <c>invalid_contract</c> failure with <paramref name="detail"/>.</summary>
    public static RunnerLoadException Invalid(string detail) => new(VmErrorText.InvalidContract, detail);
}
