using System.Text.Json.Nodes;
using GenVm.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Manager;

/// <summary>
/// The two module slots of manager.md §4 <c>/module/*</c> and §5.3. A started module is used directly by in-process
/// executions.
/// </summary>
internal sealed partial class ModuleService : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ModuleKind, Slot> _slots = [];
    private readonly Dictionary<ModuleKind, IModuleFactory> _factories;
    private readonly ManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModuleService> _logger;

    /// <summary>Creates the service with the module factories available in this build.</summary>
    public ModuleService(IEnumerable<IModuleFactory> factories, IOptions<ManagerOptions> options, TimeProvider time, ILogger<ModuleService> logger)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentNullException.ThrowIfNull(options);
        _factories = factories.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Last());
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The running LLM module, if any.</summary>
    public ILlmModule? Llm => Service(ModuleKind.Llm) as ILlmModule;

    /// <summary>The running web module, if any.</summary>
    public IWebModule? Web => Service(ModuleKind.Web) as IWebModule;

    /// <summary>Parses <c>module_type</c>: <c>Llm</c>/<c>Web</c> (the reference) or <c>llm</c>/<c>web</c> (the published docs).</summary>
    public static bool TryParseKind(string? text, out ModuleKind kind)
    {
        (var ok, kind) = text switch
        {
            "Llm" or "llm" => (true, ModuleKind.Llm),
            "Web" or "web" => (true, ModuleKind.Web),
            _ => (false, ModuleKind.Llm),
        };
        return ok;
    }

    /// <summary>The slot's state.</summary>
    public ModuleState State(ModuleKind kind)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue(kind, out var slot))
            {
                return ModuleState.Stopped;
            }

            return slot.Stop.IsCancellationRequested ? ModuleState.Stopping : ModuleState.Running;
        }
    }

    /// <summary>
    /// <c>POST /module/start</c>: templated config (or the default file when null), the module started, a fixed health
    /// wait, then registration.
    /// </summary>
    /// <exception cref="ManagerException"><c>module_already_running</c> / <c>module_failed_to_start</c>.</exception>
    public async Task StartAsync(ModuleKind kind, JsonObject? config, bool allowEmptyBackends, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_slots.ContainsKey(kind))
            {
                throw new ManagerException("module_already_running");
            }
        }

        var stop = new CancellationTokenSource();
        IModuleInstance? instance = null;
        try
        {
            var configuration = LoadConfiguration(kind, config, allowEmptyBackends);
            if (!_factories.TryGetValue(kind, out var factory))
            {
                throw new InvalidOperationException($"the {kind} module is not part of this build");
            }

            instance = await factory.StartAsync(configuration, stop.Token).ConfigureAwait(false);

            // manager.md §4: no readiness probe, only "still alive after the wait".
            await Task.WhenAny(instance.Completion, Task.Delay(_options.ModuleStartWait, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (instance.Completion.IsCompleted)
            {
                throw new InvalidOperationException("the module ended during its start");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.StartFailed(_logger, kind, e);
            if (instance is not null)
            {
                await instance.DisposeAsync().ConfigureAwait(false);
            }

            stop.Dispose();
            throw new ManagerException("module_failed_to_start");
        }

        lock (_lock)
        {
            if (!_slots.TryAdd(kind, new Slot(instance, stop)))
            {
                _ = instance.DisposeAsync().AsTask();
                throw new ManagerException("module_already_running");
            }
        }

        Log.Started(_logger, kind);
    }

    /// <summary><c>POST /module/stop</c>: fires the module's cancellation and unregisters it at once.</summary>
    /// <returns>False when the module was not running.</returns>
    public bool Stop(ModuleKind kind)
    {
        Slot? slot;
        lock (_lock)
        {
            if (!_slots.Remove(kind, out slot))
            {
                return false;
            }
        }

        slot.Stop.Cancel();
        _ = DisposeSlotAsync(slot);
        Log.Stopped(_logger, kind);
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        List<Slot> slots;
        lock (_lock)
        {
            slots = [.. _slots.Values];
            foreach (var slot in slots)
            {
                slot.Stop.Cancel();
            }
        }

        foreach (var slot in slots)
        {
            await DisposeSlotAsync(slot).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _slots.Clear();
        }
    }

    private static async Task DisposeSlotAsync(Slot slot)
    {
        await slot.Instance.DisposeAsync().ConfigureAwait(false);
        slot.Stop.Dispose();
    }

    private object? Service(ModuleKind kind)
    {
        lock (_lock)
        {
            return _slots.TryGetValue(kind, out var slot) && !slot.Stop.IsCancellationRequested ? slot.Instance.Service : null;
        }
    }

    private IConfiguration LoadConfiguration(ModuleKind kind, JsonObject? config, bool allowEmptyBackends)
    {
        JsonNode node;
        if (config is null)
        {
            // manager.md §4: null → the module's shipped default file (config/genvm-module-*.yaml).
            var path = GenVm.Host.Configuration.ModuleConfigFiles.DefaultPath(kind == ModuleKind.Llm ? "llm" : "web", ConfigTemplate.ExeDir);
            node = YamlJson.Load(File.ReadAllText(path), _options.BuiltInVersion, templateKeys: true);
        }
        else
        {
            // Only string values are templated here, not keys (config.md §1).
            node = YamlJson.TemplateStrings(config.DeepClone(), _options.BuiltInVersion);
        }

        if (kind == ModuleKind.Llm && allowEmptyBackends && node is JsonObject root)
        {
            root["allow_empty_backends"] = true;
        }

        return YamlJson.ToConfiguration(node);
    }

    private sealed record Slot(IModuleInstance Instance, CancellationTokenSource Stop);
}
