using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Protocol;

namespace GenVm.Core.Messages;

/// <summary>
/// The "extended message" every VM finds on fd 0 (wasm-abi.md §6): the transaction message plus the entry kind,
/// entry data, stage data and view-call stack. <see cref="Encode"/> gives the calldata blob (calldata.md §8).
/// </summary>
/// <param name="ContractAddress">The contract the VM runs.</param>
/// <param name="SenderAddress">The caller.</param>
/// <param name="OriginAddress">The transaction originator.</param>
/// <param name="Stack">The view-call chain; empty at top level.</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Value">The u64 value of the message (0 in called contracts).</param>
/// <param name="IsInit">True for the deployment call of the top-level VM.</param>
/// <param name="Datetime">The transaction time.</param>
/// <param name="EntryKind">How the runner interprets <paramref name="EntryData"/>.</param>
/// <param name="EntryData">Method calldata or a pickled callable.</param>
/// <param name="EntryStageData">Null, or <c>{"leaders_result": Bytes}</c> for validators.</param>
internal sealed record ExtendedMessage(
    Address ContractAddress,
    Address SenderAddress,
    Address OriginAddress,
    IReadOnlyList<Address> Stack,
    BigInteger ChainId,
    ulong Value,
    bool IsInit,
    MessageDatetime Datetime,
    EntryKind EntryKind,
    ReadOnlyMemory<byte> EntryData,
    CalldataValue EntryStageData)
{
    /// <summary>The top-level VM's message (wasm-abi.md §5): entry kind 0, entry data = the host's calldata, empty stack.</summary>
    public static ExtendedMessage ForTopLevel(TransactionMessage message, ReadOnlyMemory<byte> entryCalldata)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ExtendedMessage(
            message.ContractAddress,
            message.SenderAddress,
            message.OriginAddress,
            [],
            message.ChainId,
            message.Value,
            message.IsInit,
            message.Datetime,
            EntryKind.Main,
            entryCalldata,
            CalldataValue.Null);
    }

    /// <summary>
    /// A <c>CallContract</c> callee's message (wasm-abi.md §5): contract = target, sender/origin unchanged, stack =
    /// caller's stack + caller's contract, value 0, not init, entry kind 0, entry data = the encoded calldata.
    /// </summary>
    public ExtendedMessage ForCallContract(Address target, ReadOnlyMemory<byte> encodedCalldata)
        => this with
        {
            ContractAddress = target,
            Stack = [.. Stack, ContractAddress],
            Value = 0,
            IsInit = false,
            EntryKind = EntryKind.Main,
            EntryData = encodedCalldata,
            EntryStageData = CalldataValue.Null,
        };

    /// <summary>A <c>Sandbox</c> sub-VM's message (wasm-abi.md §5): entry kind 1, entry data = <paramref name="data"/>, not init.</summary>
    public ExtendedMessage ForSandbox(ReadOnlyMemory<byte> data)
        => this with { IsInit = false, EntryKind = EntryKind.Sandbox, EntryData = data, EntryStageData = CalldataValue.Null };

    /// <summary>A nondet leader VM's message (wasm-abi.md §5): entry kind 2, entry data = <c>data_leader</c>, stage data null.</summary>
    public ExtendedMessage ForNondetLeader(ReadOnlyMemory<byte> dataLeader)
        => this with { IsInit = false, EntryKind = EntryKind.ConsensusStage, EntryData = dataLeader, EntryStageData = CalldataValue.Null };

    /// <summary>
    /// A nondet validator VM's message (wasm-abi.md §5): entry kind 2, entry data = <c>data_validator</c>, stage data
    /// <c>{"leaders_result": Bytes(code + payload)}</c>.
    /// </summary>
    public ExtendedMessage ForNondetValidator(ReadOnlyMemory<byte> dataValidator, ReadOnlySpan<byte> leadersResult)
        => this with
        {
            IsInit = false,
            EntryKind = EntryKind.ConsensusStage,
            EntryData = dataValidator,
            EntryStageData = CalldataValue.FromMap(("leaders_result", CalldataValue.FromBytes(leadersResult))),
        };

    /// <summary>The message as a calldata map with the keys of wasm-abi.md §6.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(
            ("chain_id", CalldataValue.FromNumber(ChainId)),
            ("contract_address", CalldataValue.FromAddress(ContractAddress)),
            ("datetime", CalldataValue.FromString(Datetime.ToRfc3339())),
            ("entry_data", CalldataValue.FromBytes(EntryData.Span)),
            ("entry_kind", CalldataValue.FromNumber((int)EntryKind)),
            ("entry_stage_data", EntryStageData),
            ("is_init", CalldataValue.FromBool(IsInit)),
            ("origin_address", CalldataValue.FromAddress(OriginAddress)),
            ("sender_address", CalldataValue.FromAddress(SenderAddress)),
            ("stack", CalldataValue.FromArray(Stack.Select(a => (CalldataValue)CalldataValue.FromAddress(a)))),
            ("value", CalldataValue.FromNumber(Value)));

    /// <summary>The calldata blob placed on fd 0.</summary>
    public byte[] Encode() => CalldataCodec.Encode(ToCalldata());
}
