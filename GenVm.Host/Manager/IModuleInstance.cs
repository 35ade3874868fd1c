namespace GenVm.Host.Manager;

/// <summary>A started module: its service object and a task that ends when the module stops or fails.</summary>
internal interface IModuleInstance : IAsyncDisposable
{
    /// <summary>The module service (<see cref="GenVm.Core.Modules.ILlmModule"/> or <see cref="GenVm.Core.Modules.IWebModule"/>).</summary>
    object Service { get; }

    /// <summary>Completes when the module ended (stopped, or failed after starting).</summary>
    Task Completion { get; }
}
