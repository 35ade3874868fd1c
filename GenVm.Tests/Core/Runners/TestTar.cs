using System.Text;

namespace GenVm.Tests.Core.Runners;

/// <summary>Writes ustar archives with full control over each header field, for the reader's acceptance rules (runners.md §6).</summary>
internal sealed class TestTar
{
    private readonly MemoryStream _out = new();

    /// <summary>Adds a member. <paramref name="sizeField"/> overrides the 12-byte size field text.</summary>
    public TestTar Add(string name, byte[] data, byte type = (byte)'0', string? prefix = null, byte[]? magic = null, string? sizeField = null, byte[]? rawName = null)
    {
        var header = new byte[512];
        var nameBytes = rawName ?? Encoding.UTF8.GetBytes(name);
        nameBytes.AsSpan(0, Math.Min(100, nameBytes.Length)).CopyTo(header);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        var size = Encoding.ASCII.GetBytes(sizeField ?? Convert.ToString(data.Length, 8).PadLeft(11, '0') + "\0");
        size.AsSpan(0, Math.Min(12, size.Length)).CopyTo(header.AsSpan(124));
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = type;
        (magic ?? [(byte)'u', (byte)'s', (byte)'t', (byte)'a', (byte)'r', 0, (byte)'0', (byte)'0']).CopyTo(header, 257);
        if (prefix is not null)
        {
            Encoding.UTF8.GetBytes(prefix).CopyTo(header, 345);
        }

        // Checksum like tarfile does (the reader does not check it, §6 has no such rule).
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var sum = header.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        _out.Write(header);
        _out.Write(data);
        var pad = (512 - (data.Length % 512)) % 512;
        _out.Write(new byte[pad]);
        return this;
    }

    /// <summary>Appends raw bytes (for truncated or odd archives).</summary>
    public TestTar Raw(byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    /// <summary>The archive with two zero blocks (and optional extra padding blocks).</summary>
    public byte[] Build(int trailingZeroBlocks = 2)
    {
        _out.Write(new byte[512 * trailingZeroBlocks]);
        return _out.ToArray();
    }

    /// <summary>A tar of text members.</summary>
    public static byte[] Of(params (string Name, string Text)[] members)
    {
        var tar = new TestTar();
        foreach (var (name, text) in members)
        {
            tar.Add(name, Encoding.UTF8.GetBytes(text));
        }

        return tar.Build();
    }
}
