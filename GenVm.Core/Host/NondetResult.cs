using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// A non-deterministic block's result as exchanged with the host (host-protocol.md §8.3): a code byte followed by
/// calldata (<see cref="ResultCode.Return"/>) or a UTF-8 message (<see cref="ResultCode.UserError"/>,
/// <see cref="ResultCode.VmError"/>). Carries no fingerprint.
/// </summary>
/// <param name="Code">The result code; <see cref="ResultCode.InternalError"/> never occurs here.</param>
/// <param name="Payload">The octets after the code byte.</param>
internal sealed record NondetResult(ResultCode Code, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The wire form: the code byte followed by the payload.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[1 + Payload.Length];
        bytes[0] = (byte)Code;
        Payload.Span.CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    /// <summary>
    /// Parses the wire form. Returns false when it is empty or the code is not 0, 1 or 2.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NondetResult? result)
    {
        result = null;
        if (bytes.IsEmpty || bytes.Span[0] > (byte)ResultCode.VmError)
        {
            return false;
        }

        result = new NondetResult((ResultCode)bytes.Span[0], bytes[1..]);
        return true;
    }
}
