using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace GenVm.Modules.Web;

/// <summary>
/// The web module configuration (modules.md §4.2). Browser keys are in <see cref="ChromiumOptions"/>, request bounds
/// and signing in <see cref="Scripting.ScriptHttpOptions"/>, both bound from the same keys.
/// </summary>
public sealed class WebModuleOptions
{
    /// <summary><c>webdriver_host</c>: origin of the render service the script calls; served in process by us.</summary>
    [ConfigurationKeyName("webdriver_host")]
    [Url]
    public string WebdriverHost { get; set; } = "http://127.0.0.1:4444";

    /// <summary><c>extra_tld</c>: extra allowed top-level domains.</summary>
    [ConfigurationKeyName("extra_tld")]
    public List<string> ExtraTld { get; set; } = [];

    /// <summary><c>always_allow_hosts</c>: hosts exempt from port, TLD and address checks (exact match).</summary>
    [ConfigurationKeyName("always_allow_hosts")]
    public List<string> AlwaysAllowHosts { get; set; } = [];

    /// <summary><c>lua_script_path</c>: the module script; empty selects our embedded default.</summary>
    [ConfigurationKeyName("lua_script_path")]
    public string LuaScriptPath { get; set; } = "";

    /// <summary><c>lua_path</c>: <c>require</c> search patterns.</summary>
    [ConfigurationKeyName("lua_path")]
    public string LuaPath { get; set; } = "";

    /// <summary><c>vm_count</c>: Lua states in the pool.</summary>
    [ConfigurationKeyName("vm_count")]
    [Range(1, 256)]
    public int VmCount { get; set; } = 6;

    /// <summary><c>session_create_request</c>: required by the reference's loader, unused by the target version and by us.</summary>
    [ConfigurationKeyName("session_create_request")]
    public string SessionCreateRequest { get; set; } = "";
}
