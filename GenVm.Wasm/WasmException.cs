namespace GenVm.Wasm;

/// <summary>The root of every error the engine raises.</summary>
public class WasmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WasmException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public WasmException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
