using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The outcome of a VM or of the whole transaction (host-protocol.md §7.2): a return value, a user error
/// (<c>Rollback</c>), a VM error, or an executor internal failure.
/// </summary>
internal sealed class ContractResult
{
    private ContractResult(ResultCode kind, ReadOnlyMemory<byte> returnCalldata, string message, Fingerprint? fingerprint)
    {
        Kind = kind;
        ReturnCalldata = returnCalldata;
        Message = message;
        Fingerprint = fingerprint;
    }

    /// <summary>
    /// Which outcome this is. <see cref="ResultCode.InternalError"/> marks an executor failure; on the wire it is
    /// sent with code 2 (§7.3).
    /// </summary>
    public ResultCode Kind { get; }

    /// <summary>The encoded calldata of a <see cref="ResultCode.Return"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> ReturnCalldata { get; }

    /// <summary>The message of an error outcome (for internal errors: the error chain); empty for a return.</summary>
    public string Message { get; }

    /// <summary>The fingerprint of a user or VM error of the top-level VM; null where §7.4 says Null.</summary>
    public Fingerprint? Fingerprint { get; }

    /// <summary>A return of already encoded calldata (a plain exit returns calldata null, <c>00</c>).</summary>
    public static ContractResult Return(ReadOnlyMemory<byte> calldata) => new(ResultCode.Return, calldata, string.Empty, null);

    /// <summary>A user error (<c>Rollback</c>).</summary>
    public static ContractResult UserError(string message, Fingerprint? fingerprint)
        => new(ResultCode.UserError, ReadOnlyMemory<byte>.Empty, message ?? throw new ArgumentNullException(nameof(message)), fingerprint);

    /// <summary>A VM error, e.g. <c>exit_code 1</c>, <c>absent</c>, <c>timeout</c> (wasm-abi.md §14).</summary>
    public static ContractResult VmError(string message, Fingerprint? fingerprint)
        => new(ResultCode.VmError, ReadOnlyMemory<byte>.Empty, message ?? throw new ArgumentNullException(nameof(message)), fingerprint);

    /// <summary>An executor internal failure carrying its error chain as text.</summary>
    public static ContractResult InternalError(string errorChain)
        => new(ResultCode.InternalError, ReadOnlyMemory<byte>.Empty, errorChain ?? throw new ArgumentNullException(nameof(errorChain)), null);

    /// <summary>
    /// The <c>consume_result</c> payload (host-protocol.md §7.3): <c>00</c> + calldata; <c>01</c>/<c>02</c> + the
    /// calldata map <c>{"fingerprint": fp, "message": Str}</c>; internal error: <c>02</c> + the raw UTF-8 text.
    /// </summary>
    public byte[] ToConsumeResultPayload()
    {
        switch (Kind)
        {
            case ResultCode.Return:
                return Prefix(ResultCode.Return, ReturnCalldata.Span);
            case ResultCode.UserError or ResultCode.VmError:
                var map = CalldataValue.FromMap(
                    ("fingerprint", Fingerprint?.ToCalldata() ?? CalldataValue.Null),
                    ("message", CalldataValue.FromString(Message)));
                return Prefix(Kind, CalldataCodec.Encode(map));
            default:
                // Not calldata: hosts must treat a 02 payload that is no calldata map as an internal error.
                return Prefix(ResultCode.VmError, Encoding.UTF8.GetBytes(Message));
        }
    }

    /// <summary>
    /// The nondet result form (host-protocol.md §8.3, also the sub-VM result file of wasm-abi.md §4.2): code byte +
    /// calldata (return) or + UTF-8 message (user/VM error); no fingerprint.
    /// </summary>
    /// <exception cref="InvalidOperationException">An internal error has no nondet form; it ends the transaction.</exception>
    public NondetResult ToNondetResult() => Kind switch
    {
        ResultCode.Return => new NondetResult(ResultCode.Return, ReturnCalldata),
        ResultCode.UserError or ResultCode.VmError => new NondetResult(Kind, Encoding.UTF8.GetBytes(Message)),
        _ => throw new InvalidOperationException("an internal error has no nondet result form"),
    };

    private static byte[] Prefix(ResultCode code, ReadOnlySpan<byte> rest)
    {
        var bytes = new byte[1 + rest.Length];
        bytes[0] = (byte)code;
        rest.CopyTo(bytes.AsSpan(1));
        return bytes;
    }
}
