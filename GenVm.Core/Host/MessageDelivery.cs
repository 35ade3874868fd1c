namespace GenVm.Core.Host;

/// <summary>When a message or deployment is delivered: the <c>on</c> field of the JSON side data (host-protocol.md §6).</summary>
internal enum MessageDelivery
{
    /// <summary><c>"finalized"</c>: when the transaction is finalized.</summary>
    Finalized,

    /// <summary><c>"accepted"</c>: when the transaction is accepted.</summary>
    Accepted,
}
