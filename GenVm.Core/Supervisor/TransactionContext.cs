using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;
using GenVm.Core.Sdk;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// What the VMs of one transaction share (wasm-abi.md §5): the host connection, the per-run caches (code, balances,
/// compiled modules), the nondet call counter (host-protocol.md §8.1), the validator queue and the output streams.
/// </summary>
internal sealed class TransactionContext
{
    private readonly TransactionEngines _engines;
    private readonly RunnerRegistry? _runners;
    private readonly ResourcePool _detPool;
    private readonly ResourcePool _nondetPool;
    private readonly Dictionary<Address, byte[]> _code = [];
    private int _lastCallNo = -1;
    private bool _llmUsed;
    private bool _webUsed;

    /// <summary>Creates the context of one run.</summary>
    public TransactionContext(HostConnection host, TransactionMessage message, TransactionOptions options, TransactionEngines engines, CancellationToken cancellationToken)
    {
        Host = host;
        Message = message;
        Options = options;
        _engines = engines;
        _runners = options.Runners;
        CancellationToken = cancellationToken;

        // wasm-abi.md §12: one det and one non-det pool per transaction; every VM charges the pool of its mode.
        // An execution pool's process-wide cap is their parent: a charge must fit both.
        _detPool = new ResourcePool(options.PoolCapacity, options.MemoryCap);
        _nondetPool = new ResourcePool(options.PoolCapacity, options.MemoryCap);
        Modules = options.Modules ?? new ModuleCache();
        RunAccount = new PoolLimiter(_detPool);

        // host-protocol.md §1.2: output of every VM, in execution order; validators write concurrently.
        Stdout = options.Stdout is null ? null : Stream.Synchronized(options.Stdout);
        Stderr = options.Stderr is null ? null : Stream.Synchronized(options.Stderr);
    }

    /// <summary>The run's host connection.</summary>
    public HostConnection Host { get; }

    /// <summary>The transaction message.</summary>
    public TransactionMessage Message { get; }

    /// <summary>The run's settings.</summary>
    public TransactionOptions Options { get; }

    /// <summary>The run's cancellation (§11).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Whether a VM asked for the LLM module (set right before its first request: modules.md §2.3 step 1, the
    /// connection opens lazily on the first request, and only opened connections get <c>GetStats</c>).
    /// </summary>
    public bool LlmUsed { get => Volatile.Read(ref _llmUsed); set => Volatile.Write(ref _llmUsed, value); }

    /// <summary>As <see cref="LlmUsed"/>, for the web module.</summary>
    public bool WebUsed { get => Volatile.Read(ref _webUsed); set => Volatile.Write(ref _webUsed, value); }

    /// <summary>The run's log (<see cref="TransactionOptions.Log"/>).</summary>
    public Microsoft.Extensions.Logging.ILogger Log => Options.Log;

    /// <summary>The run-wide balance cache (wasm-abi.md §3).</summary>
    public Dictionary<Address, BigInteger> Balances { get; } = [];

    /// <summary>Compiled modules shared by all VMs of the run.</summary>
    public ModuleCache Modules { get; }

    /// <summary>Validators queued by nondet blocks in validator mode.</summary>
    public ValidatorQueue Validators { get; } = new();

    /// <summary>The locked slots of the top-level contract (host-protocol.md §7.1).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> LockedSlots { get; set; } = [];

    private Stream? Stdout { get; }

    private Stream? Stderr { get; }

    /// <summary>
    /// The run's own account in the det pool (wasm-abi.md §12: the locked-slot list, charged at start and never
    /// returned while the run lasts).
    /// </summary>
    public PoolLimiter RunAccount { get; }

    /// <summary>Logs the end of a sub-VM (the executor's own records of its VMs, config.md §5.1).</summary>
    public void LogSubVm(string kind, ContractResult result)
        => SupervisorLog.SubVmEnded(Log, kind, result.Kind == ResultCode.Return ? "Return" : $"{result.Kind}: {result.Message}");

    /// <summary>Runs <paramref name="work"/> on a wasm thread: a reusable one of <see cref="TransactionOptions.Workers"/>, else a new one.</summary>
    public Task<T> OnWasmThreadAsync<T>(Func<T> work, string name)
        => Options.Workers is { } workers ? workers.RunAsync(work) : WasmThread.RunAsync(work, name);

    /// <summary>The next nondet call number (§8.1: one counter for the whole run, from 0).</summary>
    public uint NextCallNo() => (uint)Interlocked.Increment(ref _lastCallNo);

    /// <summary>
    /// The code of <paramref name="account"/>, read from storage on first use with <paramref name="readType"/> and
    /// cached per address for the whole run (host-protocol.md §7.1 steps 4-5). The first load charges its length to
    /// the det pool (wasm-abi.md §12: "contract code read from storage", first load only), held by the run as long as
    /// the cache holds the code (docs/decisions.md).
    /// </summary>
    /// <returns>The code, or null when its charge does not fit the pool (the loading VM then fails with OOM).</returns>
    public async Task<byte[]?> CodeAsync(Address account, StorageType readType, CancellationToken cancellationToken)
    {
        lock (_code)
        {
            if (_code.TryGetValue(account, out var cached))
            {
                return cached;
            }
        }

        var code = await ContractStorageReader.ReadCodeAsync(Host, readType, account, cancellationToken).ConfigureAwait(false);
        lock (_code)
        {
            if (!_code.TryAdd(account, code))
            {
                return _code[account];
            }

            if (!RunAccount.TryCharge(code.Length))
            {
                _code.Remove(account);
                return null;
            }

            return code;
        }
    }

    /// <summary>
    /// Runs one VM of this transaction on the current thread (a wasm thread) and returns its result. A VM gets fresh
    /// args/env/FS/RNG (§5); its stdout/stderr are the executor's.
    /// </summary>
    public ContractResult RunVm(byte[] code, ExtendedMessage message, VmCapabilities capabilities)
    {
        var limiter = new PoolLimiter(capabilities.Deterministic ? _detPool : _nondetPool);
        RunnerLoadResult loaded;
        try
        {
            loaded = Load(code, message.ContractAddress, capabilities.Deterministic, limiter);
        }
        catch (RunnerLoadException e)
        {
            limiter.ReleaseAll();

            // The VM error alone (e.g. invalid_contract) does not say which runner or header failed; the log does.
            SupervisorLog.LoadFailed(Log, e.VmError, e.Message);

            // runners.md §4: a root action without StartWasm is an internal error; every other failure a VM error.
            return e.IsInternalError
                ? ContractResult.InternalError(e.VmError + ": " + e.Message)
                : ContractResult.VmError(e.VmError, Fingerprint.Empty);
        }

        var vm = capabilities.WithVersion(loaded.Version);
        var setup = new VmSetup
        {
            Loaded = loaded,
            Host = Host,
            Wasi = new DetWasiOptions
            {
                Message = message.Encode(),
                TimeNanoseconds = (ulong)Message.Datetime.UnixNanoseconds,
                Deterministic = vm.Deterministic,
                Args = loaded.Args,
                Environment = loaded.Environment,
                FileSystem = loaded.FileSystem,
                Stdout = Stdout,
                Stderr = Stderr,
                Limiter = limiter,
            },
            Capabilities = vm,
            Balances = Balances,
            Services = new VmServices(this, code, message, vm),
            Modules = Modules,
            Limiter = limiter,
            InstanceFactory = Options.InstanceFactory,
        };
        var engine = !vm.Deterministic ? _engines.Nondet : loaded.SoftFloat ? _engines.DetSoftFloat : _engines.Det;
        return new VmRunner(engine).Run(setup, CancellationToken);
    }

    // runners.md §2, §4, §8: the contract's archive (zip, raw wasm or text with a header), its version gate and actions.
    private RunnerLoadResult Load(byte[] code, Address contract, bool deterministic, PoolLimiter limiter)
    {
        var archive = ContractArchive.FromCodeCached(code, RunnerArchiveCache.Shared);
        var loader = new RunnerLoader(_runners ?? RunnerRegistry.Open());
        return loader.Load(
            new RunnerLoadRequest
            {
                Contract = archive,
                ContractKey = ContractArchive.OnChainKey(contract.ToArray()),
                Deterministic = deterministic,
                DebugMode = Options.DebugMode,
                TransactionUnixSeconds = Message.Datetime.UnixSeconds,
                Charge = limiter.TryCharge,
            },
            CancellationToken);
    }

    /// <summary>
    /// Runs a sub-VM on its own wasm thread and blocks the calling wasm thread until it ended; its end is logged as
    /// <paramref name="kind"/>.
    /// </summary>
    public ContractResult RunSubVm(byte[] code, ExtendedMessage message, VmCapabilities capabilities, string kind)
    {
        ContractResult result;
        try
        {
            result = OnWasmThreadAsync(() => RunVm(code, message, capabilities), "genvm-subvm").GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // Crash containment: an unexpected failure of a sub-VM is an internal error of the transaction.
            throw new SubVmInternalException("sub-VM failed: " + e.GetType().Name + ": " + e.Message, e);
        }

        LogSubVm(kind, result);
        return result.Kind == ResultCode.InternalError ? throw new SubVmInternalException(result.Message) : result;
    }
}
