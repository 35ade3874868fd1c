using System.Numerics;
using GenVm.Core.Calldata;

namespace GenVm.Core.LocalNode;

/// <summary>
/// One outgoing message a transaction sent to the local node: a <c>post_message</c> (python-sdk.md §12.1
/// <c>.emit()</c>, <c>emit_transfer</c>) or an <c>eth_send</c>, with its side data (host-protocol.md §6).
/// <c>genvm exec --apply-messages</c> applies it after the transaction returned (docs/decisions.md
/// "genvm exec applies messages").
/// </summary>
/// <param name="From">The contract whose transaction sent it.</param>
/// <param name="To">The receiver.</param>
/// <param name="Calldata">The receiver's entry calldata (<c>post_message</c>), or the raw EVM ABI data (<c>eth_send</c>).</param>
/// <param name="Data">The side data JSON as sent.</param>
/// <param name="Evm">Whether it is an <c>eth_send</c> (the local node has no EVM).</param>
internal sealed record LocalMessage(Address From, Address To, byte[] Calldata, string Data, bool Evm)
{
    /// <summary>The value sent (<c>value</c> of the side data); 0 when absent.</summary>
    public BigInteger Value => LocalSideData.Hex(Data, "value");

    /// <summary>Whether the message is sent once the transaction is accepted (<c>"on":"accepted"</c>) rather than finalized.</summary>
    public bool OnAccepted => LocalSideData.Text(Data, "on") == "accepted";
}
