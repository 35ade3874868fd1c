using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// The default <see cref="IVmInstanceFactory"/>: every VM instantiates its modules afresh (wasm-abi.md §1.2-§1.3),
/// the <c>LinkWasm</c> modules in order, each registered under its own name with <c>_initialize</c> called if exported,
/// then the started module; a reactor (<see cref="ReactorStartup"/>) is also started up.
/// </summary>
internal sealed class LinkingInstanceFactory : IVmInstanceFactory
{
    /// <summary>The one instance (the factory holds no state).</summary>
    public static LinkingInstanceFactory Instance { get; } = new();

    /// <inheritdoc/>
    public Instance? Instantiate(VmInstanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var linked in request.Loaded.Linked)
        {
            var helper = request.Linker.Instantiate(request.Store, request.Compile(linked));
            request.Instances.Add(helper);
            request.Linker.DefineInstance(linked.ModuleName!, helper);
            if (helper.GetFunction(WasmName.InitializeExport) is { } initialize)
            {
                if (initialize.Type.Parameters.Length != 0 || initialize.Type.Results.Length != 0)
                {
                    return null;
                }

                initialize.Invoke();
            }
        }

        request.BeforeStart?.Invoke();
        var instance = request.Linker.Instantiate(request.Store, request.Compile(request.Loaded.Start));
        request.Instances.Add(instance);
        if (request.Loaded.Reactor && ReactorStartup.IsReactor(instance.Module))
        {
            // The same guarded start-up a snapshot is taken after (docs/decisions.md "Python snapshots").
            ReactorStartup.Initialize(instance, request.Wasi, new DetStartupGuard(request.Loaded.FileSystem.Root), request.Loaded.FileSystem);
        }

        return instance;
    }
}
