using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;
using GenVm.Core.Sdk;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Runs one transaction against a host (host-protocol.md §7.1): locked-slot discovery, <c>get_calldata</c>, the
/// contract's code, one deterministic top-level VM on a <see cref="WasmThread"/>, then <c>consume_result</c>.
/// </summary>
/// <remarks>
/// Only raw wasm contracts are started so far. TODO(issue 5): zip/text contracts through the runner system
/// (runners.md), sub-VMs, nondet blocks and validators, the memory limiter (wasm-abi.md §12) and version gating
/// from the <c>genvm.version</c> section.
/// </remarks>
internal sealed class TransactionSupervisor
{
    private static readonly byte[] WasmMagic = [0x00, 0x61, 0x73, 0x6d];

    private readonly Engine _engine = new(VmRunner.DeterministicConfig());

    /// <summary>
    /// Runs the transaction and reports its result to the host. <paramref name="cancellationToken"/> is the run's
    /// cancellation (§11): it interrupts the VM, and a VMError or internal error then becomes <c>timeout</c>.
    /// </summary>
    /// <returns>The result sent with <c>consume_result</c>.</returns>
    public async Task<ContractResult> RunAsync(HostConnection host, TransactionMessage message, TransactionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        ContractResult result;
        try
        {
            result = await ExecuteAsync(host, message, options, cancellationToken).ConfigureAwait(false);
        }
        catch (HostErrorException e)
        {
            result = ContractResult.VmError(e.VmErrorMessage, Fingerprint.Empty);
        }
        catch (Exception e) when (e is HostProtocolException or OperationCanceledException or IOException)
        {
            result = ContractResult.InternalError(e.GetType().Name + ": " + e.Message);
        }

        // §11: the substitution is applied once more to the final result.
        if (cancellationToken.IsCancellationRequested && result.Kind is ResultCode.VmError or ResultCode.InternalError)
        {
            result = ContractResult.VmError(VmErrorText.Timeout, result.Fingerprint ?? Fingerprint.Empty);
        }

        // The result is reported even after cancellation, so the host learns about the timeout.
        await host.ConsumeResultAsync(result.ToConsumeResultPayload(), CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private async Task<ContractResult> ExecuteAsync(HostConnection host, TransactionMessage message, TransactionOptions options, CancellationToken cancellationToken)
    {
        var locked = await ContractStorageReader.ReadLockedSlotsAsync(host, message.ContractAddress, message.SenderAddress, cancellationToken).ConfigureAwait(false);
        var calldata = await host.GetCalldataAsync(cancellationToken).ConfigureAwait(false);
        var code = await ContractStorageReader.ReadCodeAsync(host, StorageType.Default, message.ContractAddress, cancellationToken).ConfigureAwait(false);
        if (!code.AsSpan().StartsWith(WasmMagic))
        {
            // TODO(issue 5): zip and text contracts need the runner system (runners.md); refused for now.
            return ContractResult.VmError(VmErrorText.InvalidContract, Fingerprint.Empty);
        }

        var extended = ExtendedMessage.ForTopLevel(message, calldata);
        var setup = new VmSetup
        {
            Wasm = code,
            Host = host,
            Wasi = new DetWasiOptions
            {
                Message = extended.Encode(),
                TimeNanoseconds = (ulong)message.Datetime.UnixNanoseconds,
                Stdout = options.Stdout,
                Stderr = options.Stderr,
            },
            Capabilities = new VmCapabilities
            {
                Contract = message.ContractAddress,
                LockedSlots = locked,
            },
        };
        var runner = new VmRunner(_engine);
        return await WasmThread.RunAsync(() => runner.Run(setup, cancellationToken), "genvm-vm").ConfigureAwait(false);
    }
}
