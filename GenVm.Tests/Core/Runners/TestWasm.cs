using System.Text;

namespace GenVm.Tests.Core.Runners;

/// <summary>Minimal wasm modules: the header plus custom sections.</summary>
internal static class TestWasm
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    /// <summary>An empty module, optionally with a <c>name</c> section naming the module.</summary>
    public static byte[] Module(string? moduleName = null, params (string Name, byte[] Payload)[] customs)
    {
        var bytes = new List<byte>(Header);
        foreach (var (name, payload) in customs)
        {
            AddCustom(bytes, name, payload);
        }

        if (moduleName is not null)
        {
            var nameBytes = Encoding.UTF8.GetBytes(moduleName);
            var sub = new List<byte>();
            Leb(sub, (uint)nameBytes.Length);
            sub.AddRange(nameBytes);
            var payload = new List<byte> { 0 };
            Leb(payload, (uint)sub.Count);
            payload.AddRange(sub);
            AddCustom(bytes, "name", [.. payload]);
        }

        return [.. bytes];
    }

    private static void AddCustom(List<byte> bytes, string name, byte[] payload)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var body = new List<byte>();
        Leb(body, (uint)nameBytes.Length);
        body.AddRange(nameBytes);
        body.AddRange(payload);
        bytes.Add(0);
        Leb(bytes, (uint)body.Count);
        bytes.AddRange(body);
    }

    private static void Leb(List<byte> bytes, uint value)
    {
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }
}
