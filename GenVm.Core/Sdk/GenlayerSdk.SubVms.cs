using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Core.Sdk;

/// <content><c>gl_call</c> kinds that start sub-VMs: <c>CallContract</c>, <c>Sandbox</c>, <c>RunNondet</c> (wasm-abi.md §4, §5, §7).</content>
internal sealed partial class GenlayerSdk
{
    private IVmServices Services => _services ?? throw new SubVmInternalException("this VM cannot start sub-VMs (no supervisor services)");

    private SdkErrno CallContract(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = Struct(payload, "address", "calldata", "state");
        var target = AddressField(fields["address"]);
        var calldata = CalldataCodec.Encode(fields["calldata"]);

        // §4: state 0 is treated as 2 (latest_non_final); anything outside 0..2 is an invalid enum value (§2).
        var readType = fields["state"] switch
        {
            CalldataNumber { Value: var n } when n == 0 || n == 2 => StorageType.LatestNonFinal,
            CalldataNumber { Value: var n } when n == 1 => StorageType.LatestFinal,
            _ => throw new ShapeException(),
        };
        if (!_vm.Deterministic || !_vm.Has(Permission.Call))
        {
            return SdkErrno.Forbidden;
        }

        resultFile = ResultFileOrAbort(Services.CallContract(target, calldata, readType));
        return SdkErrno.Success;
    }

    private SdkErrno Sandbox(CalldataValue payload, out byte[]? resultFile)
    {
        var fields = Struct(payload, "data", "allow_write_ops");
        var data = BytesField(fields["data"]);
        var allowWriteOps = fields["allow_write_ops"] is CalldataBool b ? b.Value : throw new ShapeException();

        // §4.2: a sandbox never aborts its caller; a VM error is returned in the file (02 + message).
        resultFile = Services.RunSandbox(data, allowWriteOps).ToNondetResult().ToBytes();
        return SdkErrno.Success;
    }

    private SdkErrno RunNondet(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = Struct(payload, "data_leader", "data_validator");
        var leader = BytesField(fields["data_leader"]);
        var validator = BytesField(fields["data_validator"]);
        if (!_vm.Has(Permission.Nondet))
        {
            return SdkErrno.Forbidden;
        }

        resultFile = ResultFileOrAbort(Services.RunNondet(leader, validator));
        return SdkErrno.Success;
    }

    // §4.2: Return → 00 + calldata, UserError → 01 + message; a VM error aborts the calling VM with the same message.
    private static byte[] ResultFileOrAbort(ContractResult result) => result.Kind switch
    {
        ResultCode.Return or ResultCode.UserError => result.ToNondetResult().ToBytes(),
        ResultCode.VmError => throw new VmResultException(ContractResult.VmError(result.Message, null)),
        _ => throw new SubVmInternalException(result.Message),
    };
}
