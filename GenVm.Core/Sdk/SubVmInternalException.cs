namespace GenVm.Core.Sdk;

/// <summary>
/// A sub-VM (or a module) failed inside the executor: the whole transaction ends as an internal error
/// (host-protocol.md §7.3, §8.4; wasm-abi.md §4.3). Unwinds through the calling VM's wasm frames.
/// </summary>
internal sealed class SubVmInternalException : Exception
{
    /// <summary>Creates the exception with the failure's error chain.</summary>
    public SubVmInternalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
