namespace GenVm.Wasm;

/// <summary>Instantiation failed while resolving imports ("unknown import", "incompatible import type").</summary>
public sealed class LinkException : WasmException
{
    /// <summary>Creates the exception.</summary>
    public LinkException(string message)
        : base(message)
    {
    }
}
