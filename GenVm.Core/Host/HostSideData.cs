using System.Numerics;
using System.Text;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <summary>
/// The compact JSON objects carried by <c>post_message</c>, <c>deploy_contract</c> and <c>eth_send</c>
/// (host-protocol.md §6): no spaces, keys in alphabetical order, u256 values as <c>0x</c> + lowercase hex
/// without leading zeros.
/// </summary>
internal static class HostSideData
{
    private static readonly BigInteger U256Limit = BigInteger.One << 256;

    /// <summary><c>{"on":…,"value":…}</c> for <c>post_message</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a u256.</exception>
    public static byte[] PostMessage(MessageDelivery on, BigInteger value)
        => Encoding.ASCII.GetBytes($"{{\"on\":\"{OnText(on)}\",\"value\":\"{FormatU256(value)}\"}}");

    /// <summary><c>{"on":…,"salt_nonce":…,"value":…}</c> for <c>deploy_contract</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is not a u256.</exception>
    public static byte[] DeployContract(MessageDelivery on, BigInteger saltNonce, BigInteger value)
        => Encoding.ASCII.GetBytes(
            $"{{\"on\":\"{OnText(on)}\",\"salt_nonce\":\"{FormatU256(saltNonce)}\",\"value\":\"{FormatU256(value)}\"}}");

    /// <summary><c>{"value":…}</c> for <c>eth_send</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a u256.</exception>
    public static byte[] EthSend(BigInteger value)
        => Encoding.ASCII.GetBytes($"{{\"value\":\"{FormatU256(value)}\"}}");

    /// <summary>Formats a u256 as <c>0x</c> + lowercase hex without leading zeros (<c>0x0</c> for zero).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or needs more than 256 bits.</exception>
    public static string FormatU256(BigInteger value)
    {
        if (value.Sign < 0 || value >= U256Limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a u256 is in 0 ..= 2^256-1");
        }

        if (value.IsZero)
        {
            return "0x0";
        }

        // BigInteger.ToString("x") pads with a sign digit ("0ff"), so go through the unsigned big-endian octets.
        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true));
        return "0x" + hex.TrimStart('0');
    }

    /// <summary>The JSON text of <paramref name="on"/> (<c>finalized</c> or <c>accepted</c>).</summary>
    public static string OnText(MessageDelivery on) => on switch
    {
        MessageDelivery.Finalized => MessageOn.Finalized,
        MessageDelivery.Accepted => MessageOn.Accepted,
        _ => throw new ArgumentOutOfRangeException(nameof(on), on, "unknown delivery point"),
    };
}
