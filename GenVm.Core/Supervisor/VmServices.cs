using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Core.Sdk;

namespace GenVm.Core.Supervisor;

/// <summary>
/// The sub-VMs one VM may start (wasm-abi.md §5, §7), derived from that VM's message and capabilities, and the run's
/// modules. Runs on the calling VM's wasm thread; every sub-VM gets its own thread and store.
/// </summary>
internal sealed class VmServices : IVmServices
{
    private readonly TransactionContext _run;
    private readonly byte[] _code;
    private readonly ExtendedMessage _message;
    private readonly VmCapabilities _vm;

    /// <summary>Binds the services to the VM running <paramref name="code"/> with <paramref name="message"/>.</summary>
    public VmServices(TransactionContext run, byte[] code, ExtendedMessage message, VmCapabilities vm)
    {
        _run = run;
        _code = code;
        _message = message;
        _vm = vm;
    }

    /// <inheritdoc/>
    /// <remarks>The SDK asks right before a request, so asking marks the module used (modules.md §2.3: GetStats).</remarks>
    public ILlmModule? Llm
    {
        get
        {
            _run.LlmUsed |= _run.Options.Llm is not null;
            return _run.Options.Llm;
        }
    }

    /// <inheritdoc/>
    /// <remarks>As <see cref="Llm"/>.</remarks>
    public IWebModule? Web
    {
        get
        {
            _run.WebUsed |= _run.Options.Web is not null;
            return _run.Options.Web;
        }
    }

    /// <inheritdoc/>
    public bool DebugMode => _run.Options.DebugMode;

    /// <inheritdoc/>
    public ContractResult RunSandbox(ReadOnlyMemory<byte> data, bool allowWriteOps)
    {
        // §5: the caller's mode and read type; no read, call or nondet; write and send only if allowed and held.
        var capabilities = new VmCapabilities
        {
            Contract = _vm.Contract,
            Deterministic = _vm.Deterministic,
            Permissions = allowWriteOps ? Keep(Permission.Write, Permission.Send) : string.Empty,
            ReadType = _vm.ReadType,
            LockedSlots = _vm.LockedSlots,
            Version = _vm.Version,
        };
        return _run.RunSubVm(_code, _message.ForSandbox(data), capabilities, "sandbox");
    }

    /// <inheritdoc/>
    public ContractResult CallContract(Address target, ReadOnlyMemory<byte> encodedCalldata, StorageType readType)
    {
        // host-protocol.md §7.1 step 5: the callee's code is read on its first CallContract, with the callee's read type.
        var code = _run.CodeAsync(target, readType, _run.CancellationToken).GetAwaiter().GetResult();
        if (code is null)
        {
            // wasm-abi.md §12: the callee's code does not fit the pool; the callee fails with OOM before it starts, and
            // its VMError aborts the caller (§4 CallContract).
            return ContractResult.VmError(VmErrorText.Oom, Fingerprint.Empty);
        }


        // §5: a det VM with the caller's read/send/call/nondet permissions but never write.
        var capabilities = new VmCapabilities
        {
            Contract = target,
            Deterministic = true,
            Permissions = Keep(Permission.Read, Permission.Send, Permission.Call, Permission.Nondet),
            ReadType = readType,
        };
        return _run.RunSubVm(code, _message.ForCallContract(target, encodedCalldata), capabilities, "call " + target);
    }

    /// <inheritdoc/>
    public ContractResult RunNondet(ReadOnlyMemory<byte> dataLeader, ReadOnlyMemory<byte> dataValidator)
    {
        var host = _run.Host;
        var token = _run.CancellationToken;
        var callNo = _run.NextCallNo();

        // §8.2: i_am_leader → leader mode; ok → validator mode; any other error traps the caller (HostErrorException).
        var answer = host.GetLeaderNondetResultAsync(callNo, token).GetAwaiter().GetResult();
        if (_run.Options.Sync)
        {
            return answer.LeaderResult is { } synced
                ? FromNondet(synced)
                : throw new SubVmInternalException($"absent leader result in sync mode, call_no: {callNo}");
        }

        if (answer.LeaderResult is not { } leaderResult)
        {
            var result = _run.RunSubVm(_code, _message.ForNondetLeader(dataLeader), NondetCapabilities(), $"nondet leader {callNo}");
            var posted = result.ToNondetResult();
            host.PostNondetResultAsync(callNo, posted, token).GetAwaiter().GetResult();
            return FromNondet(posted);
        }

        var validatorMessage = _message.ForNondetValidator(dataValidator, leaderResult.ToBytes());
        var validatorCapabilities = NondetCapabilities();
        _run.Validators.Enqueue(callNo, () => _run.OnWasmThreadAsync(
            () =>
            {
                var verdict = _run.RunVm(_code, validatorMessage, validatorCapabilities);
                _run.LogSubVm($"nondet validator {callNo}", verdict);
                return verdict;
            },
            "genvm-validator"));
        return FromNondet(leaderResult);
    }

    // §5: nondet leader and validator VMs hold no permission and read with the default type.
    private VmCapabilities NondetCapabilities() => new()
    {
        Contract = _vm.Contract,
        Deterministic = false,
        Permissions = string.Empty,
        ReadType = StorageType.Default,
        Version = _vm.Version,
    };

    private static ContractResult FromNondet(NondetResult result) => result.Code switch
    {
        ResultCode.Return => ContractResult.Return(result.Payload),
        ResultCode.UserError => ContractResult.UserError(Encoding.UTF8.GetString(result.Payload.Span), null),
        _ => ContractResult.VmError(Encoding.UTF8.GetString(result.Payload.Span), null),
    };

    // The subset of the caller's permissions among the given letters, in the canonical order.
    private string Keep(params string[] letters) => string.Concat(letters.Where(_vm.Has));
}
