using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The host answered a request with a non-<c>ok</c> error byte (host-protocol.md §4). The exchange itself
/// completed, so the connection stays usable. The executor traps the calling VM with
/// <c>VMError(</c><see cref="VmErrorMessage"/><c>)</c>.
/// </summary>
internal sealed class HostErrorException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/> received as the answer to <paramref name="method"/>.</summary>
    public HostErrorException(HostMethod method, HostError error)
        : base($"host answered {method.ToSpecName()} with error {error.ToSpecName()}")
    {
        Method = method;
        Error = error;
    }

    /// <summary>The method that was answered with the error.</summary>
    public HostMethod Method { get; }

    /// <summary>The error code (never <see cref="HostError.Ok"/>).</summary>
    public HostError Error { get; }

    /// <summary>The <c>VMError</c> text the calling VM ends with: the spec name of the code, e.g. <c>absent</c>.</summary>
    public string VmErrorMessage => Error.ToSpecName();
}
