using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>The <c>Ok</c> payload of a web <c>Request</c>: <c>{"response": {"body", "headers", "status"}}</c> (modules.md §2.6).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Headers">Header name → raw value octets.</param>
/// <param name="Body">The body octets.</param>
public sealed record WebHttpResponse(int Status, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The answer map handed to the contract inside <c>{"ok": …}</c>: <c>{"response": {…}}</c>.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(("response", CalldataValue.FromMap(
            ("body", CalldataValue.FromBytes(Body.Span)),
            ("headers", CalldataValue.FromMap(Headers.Select(h => new KeyValuePair<string, CalldataValue>(h.Key, CalldataValue.FromBytes(h.Value.Span))))),
            ("status", CalldataValue.FromNumber(Status)))));
}
