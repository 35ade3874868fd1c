using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>The first frame of a module session (host-protocol.md §11, modules.md §2.3): <c>{"cookie": Str, "host_data": Map}</c>.</summary>
/// <param name="Cookie">The run's cookie (<c>--cookie</c> or the random default).</param>
/// <param name="HostData">The <c>--host-data</c> object (with <c>node_address</c> and <c>tx_id</c>).</param>
public sealed record ModuleHello(string Cookie, CalldataMap HostData)
{
    /// <summary>The Hello as a calldata map.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(("cookie", CalldataValue.FromString(Cookie)), ("host_data", HostData));
}
