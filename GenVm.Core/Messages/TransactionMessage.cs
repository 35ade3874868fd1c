using System.Numerics;
using GenVm.Core.Calldata;

namespace GenVm.Core.Messages;

/// <summary>The <c>--message</c> JSON after parsing and applying defaults (host-protocol.md §10).</summary>
/// <param name="ContractAddress">The contract being executed.</param>
/// <param name="SenderAddress">The caller.</param>
/// <param name="OriginAddress">The transaction originator.</param>
/// <param name="ChainId">The chain id (a decimal big integer in the JSON).</param>
/// <param name="Value">The value sent with the message; 0 when null or absent.</param>
/// <param name="IsInit">True for the deployment call.</param>
/// <param name="Datetime">The transaction time in UTC; <see cref="MessageDatetime.Default"/> when absent.</param>
internal sealed record TransactionMessage(
    Address ContractAddress,
    Address SenderAddress,
    Address OriginAddress,
    BigInteger ChainId,
    ulong Value,
    bool IsInit,
    MessageDatetime Datetime);
