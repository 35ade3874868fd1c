using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GenVm.Modules.Scripting;

/// <summary>
/// RFC 9421-style request signing for <c>sign = true</c> (modules.md §4.6): normalised headers, GenLayer headers and
/// salt, content digest, the signature base, the external signer call, then <c>signature-input</c> / <c>signature</c>.
/// </summary>
internal sealed partial class RequestSigner
{
    private static readonly string[] Dropped = ["content-length", "host", "genlayer-node-address", "genlayer-tx-id", "genlayer-salt"];
    private readonly HttpMessageInvoker _http;
    private readonly ScriptHttpOptions _options;
    private readonly TimeProvider _time;

    public RequestSigner(HttpMessageInvoker http, ScriptHttpOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
    }

    /// <summary>Steps 1-3: the headers to send before the signature (lower-case names, in insertion order).</summary>
    public static List<KeyValuePair<string, byte[]>> NormalizeHeaders(
        IEnumerable<KeyValuePair<string, byte[]>> headers, string nodeAddress, string txId, byte[] salt, byte[]? body)
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (Array.IndexOf(Dropped, lower) >= 0 || lower.StartsWith('@'))
            {
                continue;
            }

            result.RemoveAll(h => h.Key == lower);
            result.Add(new(lower, value));
        }

        result.Add(new("genlayer-node-address", Encoding.UTF8.GetBytes(nodeAddress)));
        result.Add(new("genlayer-tx-id", Encoding.UTF8.GetBytes(txId)));
        result.Add(new("genlayer-salt", Encoding.ASCII.GetBytes(Convert.ToBase64String(salt))));
        if (body is not null)
        {
            result.RemoveAll(h => h.Key == "content-digest");
            result.Add(new("content-digest", Encoding.ASCII.GetBytes("sha-256=:" + Convert.ToBase64String(SHA256.HashData(body)) + ":")));
        }

        return result;
    }

    /// <summary>Steps 4-6: the signature parameters and the signature base.</summary>
    public static (string Parameters, string Base) SignatureBase(string method, Uri url, IReadOnlyList<KeyValuePair<string, byte[]>> headers, long created)
    {
        var components = new List<(string Name, string Value)>
        {
            ("@method", method),
            ("@authority", url.GetComponents(UriComponents.HostAndPort, UriFormat.UriEscaped).ToLowerInvariant()),
            ("@path", url.AbsolutePath),
        };
        foreach (var name in new[] { "genlayer-node-address", "genlayer-tx-id", "genlayer-salt", "content-digest" })
        {
            var header = headers.FirstOrDefault(h => h.Key == name);
            if (header.Value is not null)
            {
                components.Add((name, Encoding.UTF8.GetString(header.Value)));
            }
        }

        if (url.Query.Length > 0)
        {
            components.Add(("@query", url.Query));
        }

        var parameters = "(" + string.Join(" ", components.Select(c => "\"" + c.Name + "\"")) + ");created="
            + created.ToString(CultureInfo.InvariantCulture) + ";alg=\"ES256K\"";
        var lines = components.Select(c => "\"" + c.Name + "\": " + c.Value).Append("\"@signature-params\": " + parameters);
        return (parameters, string.Join("\n", lines));
    }

    /// <summary>Signs a request: returns the headers to send (normalised, plus <c>signature-input</c> and <c>signature</c>).</summary>
    public async Task<List<KeyValuePair<string, byte[]>>> SignAsync(
        string method, Uri url, IEnumerable<KeyValuePair<string, byte[]>> headers, byte[]? body, LuaExecution execution)
    {
        var nodeAddress = execution.HostString("node_address") ?? "";
        var txId = execution.HostString("tx_id") ?? "";
        var salt = RandomNumberGenerator.GetBytes(32);
        var normalized = NormalizeHeaders(headers, nodeAddress, txId, salt, body);
        var (parameters, signatureBase) = SignatureBase(method, url, normalized, _time.GetUtcNow().ToUnixTimeSeconds());

        var signerUrl = Patch(_options.SignerUrl, execution);
        using var request = new HttpRequestMessage(HttpMethod.Post, signerUrl) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(signatureBase)) };
        foreach (var (name, value) in _options.SignerHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, Patch(value, execution));
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, execution.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or UriFormatException)
        {
            throw LuaModuleError.Create("SIGN_URL_SEND_FAILED", true, ("rust_error", e.Message));
        }

        byte[] signature;
        using (response)
        {
            if ((int)response.StatusCode != 200)
            {
                throw LuaModuleError.Create("SIGN_URL_BAD_STATUS", true, ("status", $"{(int)response.StatusCode} {response.ReasonPhrase}"));
            }

            try
            {
                signature = await response.Content.ReadAsByteArrayAsync(execution.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw LuaModuleError.Create("SIGN_URL_READ_FAILED", true, ("rust_error", e.Message));
            }
        }

        normalized.Add(new("signature-input", Encoding.ASCII.GetBytes("genvm=" + parameters)));
        normalized.Add(new("signature", Encoding.ASCII.GetBytes("genvm=:" + Convert.ToBase64String(signature) + ":")));
        return normalized;
    }

    /// <summary>Replaces <c>#{var}</c> from <c>node_address</c>, <c>tx_id</c> and every string field of the host data.</summary>
    internal static string Patch(string text, LuaExecution execution)
        => HashVariable().Replace(text, m =>
        {
            var name = m.Groups[1].Value;
            return execution.HostString(name) ?? throw LuaModuleError.Create("SIGN_URL_PATCH_FAILED", true, ("variable", name));
        });

    [GeneratedRegex(@"#\{([a-zA-Z0-9_]*)\}")]
    private static partial Regex HashVariable();
}
