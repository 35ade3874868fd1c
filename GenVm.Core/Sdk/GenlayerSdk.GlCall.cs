using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using GenVm.Wasm;

namespace GenVm.Core.Sdk;

/// <content><c>gl_call</c> (wasm-abi.md §4).</content>
internal sealed partial class GenlayerSdk
{
    /// <summary>
    /// Our own variant, not in wasm-abi.md §4 (docs/decisions.md "Runners: imports of numpy and PIL"): the SDK sends
    /// it, with the module name as payload, when a contract imports a library that only a runner we do not ship has;
    /// the VM ends as a runner that is not found does (runners.md §5).
    /// </summary>
    internal const string MissingRunnerRequest = "MissingRunner";

    private static readonly BigInteger U256Limit = BigInteger.One << 256;

    private SdkErrno GlCall(Caller caller, int requestPtr, int requestLength, int fdOutPtr)
    {
        var request = new GuestMemory(caller).Slice(requestPtr, requestLength).ToArray();
        if (!CalldataCodec.TryDecode(request, out var decoded, out _)
            || decoded is not CalldataMap { Count: 1 } envelope)
        {
            return SdkErrno.Inval;
        }

        var payload = envelope.GetValue(0);
        SdkErrno errno;
        byte[]? resultFile = null;
        try
        {
            errno = envelope.GetKey(0) switch
            {
                GlCallRequest.Return => throw new VmResultException(ContractResult.Return(CalldataCodec.Encode(payload))),
                GlCallRequest.Rollback => payload is CalldataString text
                    ? throw new VmResultException(ContractResult.UserError(text.Value, null))
                    : SdkErrno.Inval,
                GlCallRequest.Trace => Trace(payload, out resultFile),
                MissingRunnerRequest => payload is CalldataString
                    ? throw new VmResultException(ContractResult.VmError(VmErrorText.InvalidContract, null))
                    : SdkErrno.Inval,
                GlCallRequest.EmitEvent => EmitEvent(payload),
                GlCallRequest.PostMessage => PostMessage(payload),
                GlCallRequest.DeployContract => DeployContract(payload),
                GlCallRequest.EthSend => EthSend(payload),
                GlCallRequest.EthCall => EthCall(payload, out resultFile),
                GlCallRequest.CallContract => CallContract(payload, out resultFile),
                GlCallRequest.Sandbox => Sandbox(payload, out resultFile),
                GlCallRequest.RunNondet => RunNondet(payload, out resultFile),
                GlCallRequest.WebRender => WebRender(payload, out resultFile),
                GlCallRequest.WebRequest => WebRequest(payload, out resultFile),
                GlCallRequest.ExecPrompt => ExecPrompt(payload, out resultFile),
                GlCallRequest.ExecPromptTemplate => ExecPromptTemplate(payload, out resultFile),
                _ => SdkErrno.Inval,
            };
        }
        catch (ShapeException)
        {
            return SdkErrno.Inval;
        }

        if (errno != SdkErrno.Success)
        {
            return errno;
        }

        var fd = resultFile is null ? AbiLimit.NoResultFd : _wasi.AddResultFile(resultFile);
        new GuestMemory(caller).WriteU32(fdOutPtr, (uint)fd);
        return SdkErrno.Success;
    }

    private SdkErrno Trace(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        if (!_vm.Version.AtLeast(AbiVersion.TraceMinimum))
        {
            return SdkErrno.Inval;
        }

        if (payload is CalldataString { Value: TraceKind.RuntimeMicroSec }
            || (payload is CalldataMap { Count: 1 } m && m.GetKey(0) == TraceKind.RuntimeMicroSec && m.GetValue(0).IsNull))
        {
            // §4: microseconds since the VM started; always 0 in a det VM unless --debug-mode.
            var real = !_vm.Deterministic || _services is { DebugMode: true };
            var micros = real ? (long)System.Diagnostics.Stopwatch.GetElapsedTime(_startedAt).TotalMicroseconds : 0;
            resultFile = CalldataCodec.Encode(CalldataValue.FromNumber(micros));
            return SdkErrno.Success;
        }

        if (payload is CalldataMap { Count: 1 } message && message.GetKey(0) == TraceKind.Message && message.GetValue(0) is CalldataString)
        {
            return SdkErrno.Success;
        }

        return SdkErrno.Inval;
    }

    private SdkErrno EmitEvent(CalldataValue payload)
    {
        if (!_vm.Version.AtLeast(AbiVersion.EmitEventMinimum))
        {
            return SdkErrno.Inval;
        }

        var fields = Struct(payload, "topics", "blob");
        var topics = fields["topics"] as CalldataArray ?? throw new ShapeException();
        var blob = fields["blob"] as CalldataMap ?? throw new ShapeException();
        var topicBytes = topics.Select(t => t is CalldataBytes b ? b.Memory : throw new ShapeException()).ToList();
        if (!_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        if (topicBytes.Count > AbiLimit.EventMaxTopics || topicBytes.Any(t => t.Length != WireSize.EventTopic))
        {
            return SdkErrno.Inval;
        }

        Wait(t => _host.PostEventAsync(topicBytes, CalldataCodec.Encode(blob), t));
        return SdkErrno.Success;
    }

    private SdkErrno PostMessage(CalldataValue payload)
    {
        var fields = Struct(payload, "address", "calldata", "value", "on");
        var address = AddressField(fields["address"]);
        var calldata = CalldataCodec.Encode(fields["calldata"]);
        var value = U256(fields["value"]);
        var on = On(fields["on"]);
        return WithFunds(Permission.Send, value, () => Wait(t => _host.PostMessageAsync(address, calldata, on, value, t)));
    }

    private SdkErrno DeployContract(CalldataValue payload)
    {
        var fields = Struct(payload, "calldata", "code", "value", "on", "salt_nonce");
        var calldata = CalldataCodec.Encode(fields["calldata"]);
        var code = BytesField(fields["code"]);
        var value = U256(fields["value"]);
        var on = On(fields["on"]);
        var salt = U256(fields["salt_nonce"]);
        return WithFunds(Permission.Send, value, () => Wait(t => _host.DeployContractAsync(calldata, code, on, salt, value, t)));
    }

    private SdkErrno EthSend(CalldataValue payload)
    {
        var fields = Struct(payload, "address", "calldata", "value");
        var address = AddressField(fields["address"]);
        var calldata = BytesField(fields["calldata"]);
        var value = U256(fields["value"]);
        return WithFunds(Permission.Send, value, () => Wait(t => _host.EthSendAsync(address, calldata, value, t)));
    }

    private SdkErrno EthCall(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = Struct(payload, "address", "calldata");
        var address = AddressField(fields["address"]);
        var calldata = BytesField(fields["calldata"]);
        if (!_vm.Deterministic || !_vm.Has(Permission.Call))
        {
            return SdkErrno.Forbidden;
        }

        resultFile = Wait(t => _host.EthCallAsync(address, calldata, t));
        return SdkErrno.Success;
    }

    // Checks DET, the permission and FUNDS (§4), makes the host call, then commits the value.
    private SdkErrno WithFunds(string permission, BigInteger value, Action call)
    {
        if (!_vm.Deterministic || !_vm.Has(permission))
        {
            return SdkErrno.Forbidden;
        }

        if (!value.IsZero && value + Committed > Balance(_vm.Contract))
        {
            return SdkErrno.Inbalance;
        }

        call();
        Committed += value;
        return SdkErrno.Success;
    }

    // A struct-shaped variant: exactly these fields, no unknown ones (§4 field-level notes).
    private static CalldataMap Struct(CalldataValue payload, params string[] names)
    {
        if (payload is not CalldataMap map || map.Count != names.Length || names.Any(n => !map.ContainsKey(n)))
        {
            throw new ShapeException();
        }

        return map;
    }

    private static Address AddressField(CalldataValue value) => value is CalldataAddress a ? a.Value : throw new ShapeException();

    private static ReadOnlyMemory<byte> BytesField(CalldataValue value) => value is CalldataBytes b ? b.Memory : throw new ShapeException();

    private static BigInteger U256(CalldataValue value) =>
        value is CalldataNumber { Value: var n } && n.Sign >= 0 && n < U256Limit ? n : throw new ShapeException();

    private static MessageDelivery On(CalldataValue value) => value switch
    {
        CalldataString { Value: MessageOn.Finalized } => MessageDelivery.Finalized,
        CalldataString { Value: MessageOn.Accepted } => MessageDelivery.Accepted,
        _ => throw new ShapeException(),
    };

    private sealed class ShapeException : Exception
    {
    }
}
