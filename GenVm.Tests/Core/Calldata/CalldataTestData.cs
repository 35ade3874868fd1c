using System.Text;
using GenVm.Core.Calldata;

namespace GenVm.Tests.Core.Calldata;

/// <summary>Shared vectors and helpers for the calldata tests.</summary>
internal static class CalldataTestData
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string Ascii(string text) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(text));

    /// <summary>The 225-byte default message blob of calldata.md §8.</summary>
    public static string MessageBlobHex()
    {
        var zeros19 = string.Concat(Enumerable.Repeat("00", 19));
        return "5e"
            + "08" + Ascii("chain_id") + "01"
            + "10" + Ascii("contract_address") + "1801" + zeros19
            + "08" + Ascii("datetime") + "dc01" + Ascii("2024-11-26T06:42:42.424242Z")
            + "0a" + Ascii("entry_data") + "0b06"
            + "0a" + Ascii("entry_kind") + "01"
            + "10" + Ascii("entry_stage_data") + "00"
            + "07" + Ascii("is_init") + "08"
            + "0e" + Ascii("origin_address") + "1802" + zeros19
            + "0e" + Ascii("sender_address") + "1802" + zeros19
            + "05" + Ascii("stack") + "05"
            + "05" + Ascii("value") + "01";
    }

    /// <summary>The message of <see cref="MessageBlobHex"/> built as a value (keys deliberately unsorted).</summary>
    public static CalldataValue MessageBlobValue()
    {
        var contract = new byte[20];
        contract[0] = 1;
        var sender = new byte[20];
        sender[0] = 2;
        return CalldataValue.FromMap(
            ("value", 0),
            ("stack", CalldataValue.FromArray()),
            ("sender_address", new Address(sender)),
            ("origin_address", new Address(sender)),
            ("is_init", false),
            ("entry_stage_data", CalldataValue.Null),
            ("entry_kind", 0),
            ("entry_data", new byte[] { 0x06 }),
            ("datetime", "2024-11-26T06:42:42.424242Z"),
            ("contract_address", new Address(contract)),
            ("chain_id", 0));
    }
}
