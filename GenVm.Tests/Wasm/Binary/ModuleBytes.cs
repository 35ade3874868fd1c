namespace GenVm.Tests.Wasm.Binary;

/// <summary>Test helper: builds module binaries from hex fragments, computing section sizes.</summary>
internal static class ModuleBytes
{
    /// <summary>The magic and version.</summary>
    public const string Header = "0061736D01000000";

    /// <summary>One section: id, LEB128 size, content.</summary>
    public static string Section(int id, string contentHex)
    {
        var content = Clean(contentHex);
        return id.ToString("X2") + Leb(content.Length / 2) + content;
    }

    /// <summary>A module: the header followed by the given sections (hex).</summary>
    public static byte[] Module(params string[] sections) => Convert.FromHexString(Header + string.Concat(sections.Select(Clean)));

    /// <summary>Unsigned LEB128 as hex.</summary>
    public static string Leb(long value)
    {
        var result = string.Empty;
        do
        {
            var b = (int)(value & 0x7F);
            value >>= 7;
            if (value != 0)
            {
                b |= 0x80;
            }

            result += b.ToString("X2");
        }
        while (value != 0);
        return result;
    }

    /// <summary>Hex without spaces.</summary>
    public static string Clean(string hex) => hex.Replace(" ", string.Empty, StringComparison.Ordinal);
}
