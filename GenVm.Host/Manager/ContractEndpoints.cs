using System.Buffers.Binary;
using System.Text.Json.Nodes;
using GenVm.Core.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GenVm.Host.Manager;

/// <summary><c>POST /contract/detect-version</c> and <c>POST /contract/pre-deploy-writes</c> (manager.md §4).</summary>
internal static class ContractEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapContractEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/contract/detect-version", DetectVersionAsync);
        app.MapPost("/contract/pre-deploy-writes", PreDeployWritesAsync);
        return app;
    }

    /// <summary>
    /// The two storage writes that store <paramref name="code"/> as a contract's code (host-protocol.md §12): the
    /// length (LE u32) at offset 0 of the code slot, the code at offset 4. Keys are the slot id followed by the LE u32
    /// offset.
    /// </summary>
    internal static (byte[] Key, byte[] Value)[] PreDeployWrites(byte[] code)
    {
        var slot = ContractStorageReader.CodeSlot.ToArray();
        byte[] Key(uint offset)
        {
            var key = new byte[slot.Length + 4];
            slot.CopyTo(key);
            BinaryPrimitives.WriteUInt32LittleEndian(key.AsSpan(slot.Length), offset);
            return key;
        }

        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)code.Length);
        return [(Key(0), length), (Key(4), code)];
    }

    private static async Task<ContentHttpResult> DetectVersionAsync(HttpRequest request, VersionDetector detector, CancellationToken cancellationToken)
    {
        var timestamp = ManagerJson.DeploymentTimestamp(request);
        var code = await ManagerJson.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var major = await detector.DetectMajorAsync(code, timestamp, cancellationToken).ConfigureAwait(false);
        return ManagerJson.Result(new JsonObject { ["specified_major"] = major });
    }

    private static async Task<ContentHttpResult> PreDeployWritesAsync(HttpRequest request, VersionDetector detector, CancellationToken cancellationToken)
    {
        var timestamp = ManagerJson.DeploymentTimestamp(request);
        var code = await ManagerJson.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (await detector.DetectMajorAsync(code, timestamp, cancellationToken).ConfigureAwait(false) != 0)
        {
            throw new ManagerException("only major version 0 is supported for now");
        }

        var writes = new JsonArray();
        foreach (var (key, value) in PreDeployWrites(code))
        {
            writes.Add(new JsonArray(Convert.ToBase64String(key), Convert.ToBase64String(value)));
        }

        return ManagerJson.Result(new JsonObject { ["writes"] = writes });
    }
}
