using GenVm.Core.Modules;

namespace GenVm.Modules.Transport;

/// <summary>The module side of a server (modules.md §2.3): one <see cref="IModuleConnection"/> per Hello.</summary>
internal interface IModuleEndpoint
{
    /// <summary>Opens the module side of one connection (one execution) after its Hello.</summary>
    IModuleConnection Open(ModuleHello hello);
}
