namespace GenVm.Core.Modules;

/// <summary>
/// A module answered <c>{"FatalError": Str}</c>, or the transport to it failed (connect, send, receive, close).
/// The executor turns it into the internal error <c>module error: …</c>, which ends the whole run
/// (host-protocol.md §11, modules.md §2.3, §2.4).
/// </summary>
public sealed class ModuleFatalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModuleFatalException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
