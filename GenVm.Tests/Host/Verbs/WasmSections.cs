using System.Text;

namespace GenVm.Tests.Host.Verbs;

/// <summary>Adds custom sections to a compiled module (wat2wasm here runs without annotations).</summary>
internal static class WasmSections
{
    /// <summary>Appends the custom section <c>genvm.version</c> holding <paramref name="version"/> (runners.md §2).</summary>
    public static byte[] WithVersion(byte[] wasm, string version) => WithCustom(wasm, "genvm.version", Encoding.UTF8.GetBytes(version));

    /// <summary>Appends a custom section (id 0: name, then payload).</summary>
    public static byte[] WithCustom(byte[] wasm, string name, byte[] payload)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] content = [.. Uleb(nameBytes.Length), .. nameBytes, .. payload];
        return [.. wasm, 0x00, .. Uleb(content.Length), .. content];
    }

    private static byte[] Uleb(int value)
    {
        var octets = new List<byte>();
        var v = (uint)value;
        do
        {
            var b = (byte)(v & 0x7f);
            v >>= 7;
            octets.Add(v == 0 ? b : (byte)(b | 0x80));
        }
        while (v != 0);
        return [.. octets];
    }
}
