using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Transport;

/// <summary>
/// A module reached over WebSocket (modules.md §2.1; the executor's <c>modules.llm.address</c> /
/// <c>modules.web.address</c>). Setting <c>address</c> is the switch between in-process and remote.
/// </summary>
public sealed class RemoteModuleOptions
{
    /// <summary><c>address</c>: <c>ws://host:port</c>; empty means the module runs in process.</summary>
    [ConfigurationKeyName("address")]
    public string Address { get; set; } = "";

    /// <summary><c>request_timeout</c>: bound on one request (the reference has none, §2.4).</summary>
    [ConfigurationKeyName("request_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>connect_timeout</c>: bound on connecting and sending the Hello.</summary>
    [ConfigurationKeyName("connect_timeout")]
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>cookie</c>: the Hello cookie; empty → 8 random bytes as unpadded lower-case hex (§2.3).</summary>
    [ConfigurationKeyName("cookie")]
    public string Cookie { get; set; } = "";

    /// <summary><c>host_data</c>: string fields of the Hello host data (<c>node_address</c>, <c>tx_id</c>, …).</summary>
    [ConfigurationKeyName("host_data")]
    public Dictionary<string, string> HostData { get; set; } = [];
}
