using GenVm.Core.Host;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;
using GenVm.Core.Sdk;
using GenVm.Core.Wasi;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Wasi;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Runs one VM to its result (wasm-abi.md §1.3, §14): compile, link <c>wasi_snapshot_preview1</c> and
/// <c>genlayer_sdk</c>, instantiate, call the entry, and map the way it stopped to Return / UserError / VMError
/// with the spec's exact strings. Synchronous: call it on a <see cref="WasmThread"/>.
/// </summary>
internal sealed class VmRunner
{
    /// <summary>The det engine configuration of §1.1, §10 and §13: no SIMD, saturating conversions or reference types; floats trap.</summary>
    public static EngineConfig DeterministicConfig() => new EngineConfig()
        .WithFeatures(WasmFeatures.MutableGlobals | WasmFeatures.SignExtension | WasmFeatures.MultiValue | WasmFeatures.BulkMemory | WasmFeatures.TailCall)
        .WithMaxCallDepth((int)VmLimit.MaxCallDepth)
        .WithValueStackBudget((int)VmLimit.ValueStackBudget)
        .WithTrapOnFloatInstructions(true);

    private readonly Engine _engine;

    /// <summary>
    /// The non-det engine configuration (§1.1): the same features and stack limits, floats allowed. (The reference
    /// also skips backtraces there; only the top-level det VM reports fingerprints, so capturing them is harmless.)
    /// </summary>
    public static EngineConfig NondetConfig() => new EngineConfig()
        .WithFeatures(WasmFeatures.MutableGlobals | WasmFeatures.SignExtension | WasmFeatures.MultiValue | WasmFeatures.BulkMemory | WasmFeatures.TailCall)
        .WithMaxCallDepth((int)VmLimit.MaxCallDepth)
        .WithValueStackBudget((int)VmLimit.ValueStackBudget)
        .WithTrapOnFloatInstructions(false);

    /// <summary>Uses <paramref name="engine"/> (modules are compiled for it).</summary>
    public VmRunner(Engine engine) => _engine = engine;

    /// <summary>
    /// Runs the VM. <paramref name="cancellationToken"/> interrupts the store (trap <c>Interrupt</c>); a VMError or
    /// internal error of a cancelled VM becomes <c>VMError("timeout")</c> (§11).
    /// </summary>
    public ContractResult Run(VmSetup setup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setup);
        using var store = new Store(_engine);
        if (setup.Limiter is { } limiter)
        {
            // §12: the VM's pool account; disposing the store gives everything back.
            store.Limiter = limiter;
        }

        using var registration = cancellationToken.Register(store.Interrupt);
        if (cancellationToken.IsCancellationRequested)
        {
            store.Interrupt();
        }

        var instances = new List<Instance>();
        var result = RunCore(setup, store, instances, cancellationToken);
        if (cancellationToken.IsCancellationRequested && result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            result = ContractResult.VmError(VmErrorText.Timeout, result.Fingerprint ?? Fingerprint.Empty);
        }

        return result;
    }

    private Module Compile(VmSetup setup, RunnerModule module)
        => setup.Modules?.Get(_engine, module.Bytes) ?? Module.FromBytes(_engine, module.Bytes.Span);

    private ContractResult RunCore(VmSetup setup, Store store, List<Instance> instances, CancellationToken cancellationToken)
    {
        Func entry;
        var wasi = new DetWasiHost(setup.Wasi);
        try
        {
            var linker = new Linker(_engine);
            wasi.Define(linker);
            new GenlayerSdk(setup.Host, setup.Capabilities, wasi, setup.Balances, setup.Services, cancellationToken).Define(linker);

            // §1.2, §1.3: LinkWasm modules in order, each registered under its own name, _initialize called if
            // exported, then the started module (or a restored snapshot of them, see IVmInstanceFactory).
            var factory = setup.InstanceFactory ?? LinkingInstanceFactory.Instance;

            // wasm-abi.md §9.3: linked modules see an empty environment during _initialize; StartWasm shows it.
            wasi.EnvironmentVisible = false;
            var instance = factory.Instantiate(new VmInstanceRequest
            {
                BeforeStart = () => wasi.EnvironmentVisible = true,
                Engine = _engine,
                Store = store,
                Linker = linker,
                Loaded = setup.Loaded,
                Deterministic = setup.Capabilities.Deterministic,
                Compile = module => Compile(setup, module),
                Instances = instances,
                Wasi = wasi,
            });
            wasi.EnvironmentVisible = true;
            if (instance is null)
            {
                return ContractResult.VmError(VmErrorText.InvalidContract, Fingerprint.Empty);
            }

            // A reactor runner's program is genvm_run; its start-up already ran in the factory (ReactorStartup).
            var found = setup.Loaded.Reactor && ReactorStartup.IsReactor(instance.Module)
                ? instance.GetFunction(ReactorStartup.RunExport)
                : instance.GetFunction(WasmName.EntryExport) ?? instance.GetFunction(WasmName.StartExport);
            if (found is null || found.Type.Parameters.Length != 0 || found.Type.Results.Length != 0)
            {
                // §7.4: a missing entry gives a null fingerprint.
                return ContractResult.VmError(VmErrorText.InvalidContract, null);
            }

            entry = found;
        }
        catch (ResourceExhaustedException)
        {
            // §12: an initial memory or table that does not fit fails the VM with OOM.
            return ContractResult.VmError(VmErrorText.Oom, Fingerprint.Empty);
        }
        catch (WasmTrapException trap)
        {
            // A start function, segment initialisation or _initialize trapped.
            return ContractResult.VmError(VmErrorText.WasmTrap + " " + trap.Code, Fingerprints.Capture(trap.Frames, instances));
        }
        catch (WasmException)
        {
            // Undecodable, invalid or unlinkable module (§1.1, §1.2).
            return ContractResult.VmError(VmErrorText.InvalidContract, Fingerprint.Empty);
        }
        catch (Exception e)
        {
            return MapFailure(e, instances);
        }

        var timing = PhaseTimings.Start();
        try
        {
            entry.Invoke();
            return ContractResult.Return(new byte[] { 0 });
        }
        catch (Exception e)
        {
            return MapFailure(e, instances);
        }
        finally
        {
            PhaseTimings.Stop("run", timing);
        }
    }

    // §14 precedence: proc_exit, wasm trap, VM error, user error, contract return; anything else is internal.
    private static ContractResult MapFailure(Exception e, IReadOnlyList<Instance> instance) => e switch
    {
        WasiExitException { ExitCode: 0 } => ContractResult.Return(new byte[] { 0 }),
        WasiExitException exit => ContractResult.VmError(
            VmErrorText.ExitCode + " " + Math.Min((uint)exit.ExitCode, (uint)AbiLimit.MaxExitCode),
            Fingerprints.Capture([], instance)),
        ResourceExhaustedException => ContractResult.VmError(VmErrorText.Oom, Fingerprints.Capture([], instance)),
        WasmTrapException trap => ContractResult.VmError(VmErrorText.WasmTrap + " " + trap.Code, Fingerprints.Capture(trap.Frames, instance)),
        VmResultException { Result.Kind: ResultCode.UserError } user => ContractResult.UserError(user.Result.Message, Fingerprints.Capture([], instance)),
        VmResultException { Result.Kind: ResultCode.VmError } vm => ContractResult.VmError(vm.Result.Message, Fingerprints.Capture([], instance)),
        VmResultException done => done.Result,
        HostErrorException host => ContractResult.VmError(host.VmErrorMessage, Fingerprints.Capture([], instance)),
        _ => ContractResult.InternalError(ErrorChain(e)),
    };

    private static string ErrorChain(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            parts.Add(current.GetType().Name + ": " + current.Message);
        }

        return string.Join("\ncaused by: ", parts);
    }
}
