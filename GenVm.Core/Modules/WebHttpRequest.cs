using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>A web <c>Request</c> (modules.md §2.6).</summary>
/// <param name="Method"><c>GET</c>, <c>POST</c>, <c>HEAD</c>, <c>DELETE</c>, <c>OPTIONS</c> or <c>PATCH</c> (not <c>PUT</c>).</param>
/// <param name="Url">The URL.</param>
/// <param name="Headers">Header name → raw value octets.</param>
/// <param name="Body">The body; null for none.</param>
/// <param name="Sign">Sign the request (RFC 9421 style, modules.md §4.6).</param>
public sealed record WebHttpRequest(string Method, string Url, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Headers, ReadOnlyMemory<byte>? Body, bool Sign)
{
    /// <summary>The methods the protocol allows.</summary>
    public static IReadOnlyList<string> AllowedMethods { get; } = ["GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH"];

    /// <summary>The payload map <c>{"body": Bytes|null, "headers": {…}, "method", "sign", "url"}</c>.</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(
            ("body", Body is { } body ? CalldataValue.FromBytes(body.Span) : CalldataValue.Null),
            ("headers", CalldataValue.FromMap(Headers.Select(h => new KeyValuePair<string, CalldataValue>(h.Key, CalldataValue.FromBytes(h.Value.Span))))),
            ("method", CalldataValue.FromString(Method)),
            ("sign", CalldataValue.FromBool(Sign)),
            ("url", CalldataValue.FromString(Url)));
}
