namespace GenVm.Core.Wasi;

/// <summary>
/// A host function got an out-of-bounds, overflowing or misaligned guest pointer. Per wasm-abi.md §2 this aborts
/// the VM as an internal error (the reference surfaces it that way), never as an errno or a VMError.
/// </summary>
internal sealed class GuestFaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GuestFaultException(string message)
        : base(message)
    {
    }
}
