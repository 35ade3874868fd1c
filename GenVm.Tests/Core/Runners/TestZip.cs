using System.Buffers.Binary;
using System.Text;

namespace GenVm.Tests.Core.Runners;

/// <summary>Writes zip archives field by field (PKWARE APPNOTE layout), stored unless told otherwise.</summary>
internal static class TestZip
{
    /// <summary>One entry: name, data as written, compression method, flags.</summary>
    public sealed record Entry(string Name, byte[] Data, ushort Method = 0, ushort Flags = 0);

    /// <summary>Builds the archive; <paramref name="prefix"/> is placed before the first local header.</summary>
    public static byte[] Build(IEnumerable<Entry> entries, byte[]? prefix = null, string comment = "")
    {
        var output = new MemoryStream();
        output.Write(prefix ?? []);
        var central = new MemoryStream();
        var count = 0;
        foreach (var entry in entries)
        {
            var name = Encoding.UTF8.GetBytes(entry.Name);
            var offset = (uint)output.Position;
            var local = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(6), entry.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(8), entry.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(28), 3);
            output.Write(local);
            output.Write(name);
            output.Write("xyz"u8); // a local extra field the central one does not have: data offset must come from the local header
            output.Write(entry.Data);

            var header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), entry.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), entry.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)entry.Data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), offset);
            central.Write(header);
            central.Write(name);
            count++;
        }

        var directoryOffset = (uint)output.Position;
        output.Write(central.ToArray());
        var commentBytes = Encoding.ASCII.GetBytes(comment);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), directoryOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(20), (ushort)commentBytes.Length);
        output.Write(end);
        output.Write(commentBytes);
        return output.ToArray();
    }

    /// <summary>A stored zip of text members.</summary>
    public static byte[] Of(params (string Name, string Text)[] members) =>
        Build(members.Select(m => new Entry(m.Name, Encoding.UTF8.GetBytes(m.Text))));
}
