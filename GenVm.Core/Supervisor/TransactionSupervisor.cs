using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;
using GenVm.Core.Sdk;
using GenVm.Wasm;
using GenVm.Wasm.Compilation;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Runs one transaction against a host (host-protocol.md §7.1): locked-slot discovery, <c>get_calldata</c>, the
/// contract's code, the deterministic top-level VM on a <see cref="WasmThread"/> (with its sub-VMs), the queued
/// validators and <c>notify_nondet_disagreement</c>, then <c>consume_result</c>.
/// </summary>
/// <param name="engines">Engines shared with other supervisors (an execution pool's); null makes them on first use.</param>
internal sealed class TransactionSupervisor(TransactionEngines? engines = null)
{
    /// <summary>Pool units per locked slot (wasm-abi.md §12).</summary>
    public const long LockedSlotCharge = 32;

    private TransactionEngines? _engines = engines;

    /// <summary>
    /// Runs the transaction and reports its result to the host. <paramref name="cancellationToken"/> is the run's
    /// cancellation (§11): it interrupts the VMs, and a VMError or internal error then becomes <c>timeout</c>.
    /// </summary>
    /// <returns>The result sent with <c>consume_result</c> and the reported disagreement.</returns>
    public async Task<TransactionOutcome> RunAsync(HostConnection host, TransactionMessage message, TransactionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        // Engines are made on first use so the run's options choose the compile cache.
        _engines ??= new TransactionEngines(options.CompileCacheDirectory);
        var run = new TransactionContext(host, message, options, _engines, cancellationToken);
        ContractResult result;
        var timing = PhaseTimings.Start();
        try
        {
            result = await ExecuteAsync(run, cancellationToken).ConfigureAwait(false);
            timing = PhaseTimings.Stop("transaction vm", timing);
        }
        catch (HostErrorException e)
        {
            result = ContractResult.VmError(e.VmErrorMessage, Fingerprint.Empty);
        }
        catch (Exception e) when (e is HostProtocolException or OperationCanceledException or IOException)
        {
            result = ContractResult.InternalError(e.GetType().Name + ": " + e.Message);
        }
        catch (Exception e)
        {
            // Crash containment: an unexpected failure ends this transaction as an internal error (host-protocol.md
            // §9: result code 02 with the cause chain), still reported to the host, and never the process.
            result = ContractResult.InternalError(ErrorChain(e));
        }

        // §7.1 step 6: wait for the queued validators; an internal error of one is the transaction's (§8.4).
        await run.Validators.DrainAsync().ConfigureAwait(false);
        if (run.Validators.InternalError is { } validatorFailure)
        {
            result = ContractResult.InternalError(validatorFailure);
        }

        var disagreement = run.Validators.Disagreement;
        if (disagreement is { } callNo && !host.IsFaulted)
        {
            await host.NotifyNondetDisagreementAsync(callNo, CancellationToken.None).ConfigureAwait(false);
        }

        // modules.md §2.3 step 5: after all VMs and before consume_result, GetStats on every module connection the run
        // opened, unless it was cancelled; the reply is only logged.
        if (!cancellationToken.IsCancellationRequested)
        {
            await LogModuleStatsAsync(run).ConfigureAwait(false);
        }

        // The run's own charges go back with the run's pools (a process-wide cap outlives them).
        run.RunAccount.ReleaseAll();

        // wasm-abi.md §11: the substitution is applied once more to the final result.
        if (cancellationToken.IsCancellationRequested && result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            result = ContractResult.VmError(VmErrorText.Timeout, result.Fingerprint ?? Fingerprint.Empty);
        }

        // The result is reported even after cancellation, so the host learns about the timeout.
        await host.ConsumeResultAsync(result.ToConsumeResultPayload(), CancellationToken.None).ConfigureAwait(false);
        PhaseTimings.Stop("result sent", timing);
        return new TransactionOutcome(result, disagreement);
    }

    private static async Task<ContractResult> ExecuteAsync(TransactionContext run, CancellationToken cancellationToken)
    {
        var message = run.Message;
        run.LockedSlots = await ContractStorageReader.ReadLockedSlotsAsync(run.Host, message.ContractAddress, message.SenderAddress, cancellationToken).ConfigureAwait(false);

        // wasm-abi.md §12: the locked-slot list costs 32 units per slot from the det pool, at start, never returned.
        // (The account is released when the run ends, for the benefit of a process-wide cap over many runs.)
        if (!run.RunAccount.TryCharge(LockedSlotCharge * run.LockedSlots.Count))
        {
            return ContractResult.VmError(VmErrorText.Oom, Fingerprint.Empty);
        }

        var calldata = await run.Host.GetCalldataAsync(cancellationToken).ConfigureAwait(false);
        var code = await run.CodeAsync(message.ContractAddress, StorageType.Default, cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            // §7.4: a failure before the contract starts (OOM while loading) has an empty fingerprint.
            return ContractResult.VmError(VmErrorText.Oom, Fingerprint.Empty);
        }

        var capabilities = new VmCapabilities
        {
            Contract = message.ContractAddress,
            Permissions = run.Options.Permissions,
            LockedSlots = run.LockedSlots,
        };
        var extended = ExtendedMessage.ForTopLevel(message, calldata);
        return await run.OnWasmThreadAsync(() => run.RunVm(code, extended, capabilities), "genvm-vm").ConfigureAwait(false);
    }

    private static async Task LogModuleStatsAsync(TransactionContext run)
    {
        if (run.LlmUsed && run.Options.Llm is { } llm)
        {
            await LogStatsAsync(run, "llm", llm.GetStatsAsync).ConfigureAwait(false);
        }

        if (run.WebUsed && run.Options.Web is { } web)
        {
            await LogStatsAsync(run, "web", web.GetStatsAsync).ConfigureAwait(false);
        }
    }

    private static async Task LogStatsAsync(TransactionContext run, string module, Func<CancellationToken, Task<CalldataValue>> getStats)
    {
        try
        {
            var stats = await getStats(CancellationToken.None).ConfigureAwait(false);
            SupervisorLog.ModuleStats(run.Log, module, CalldataText.Print(stats));
        }
        catch (Exception e)
        {
            // Only logged: the reply never changes the result (modules.md §2.3).
            SupervisorLog.ModuleStatsFailed(run.Log, module, e.GetType().Name + ": " + e.Message);
        }
    }

    private static string ErrorChain(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            parts.Add(current.GetType().Name + ": " + current.Message);
        }

        return "internal error: " + string.Join("\ncaused by: ", parts);
    }
}
