using System.Runtime.InteropServices;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Bulk memory, table and segment instructions, called from compiled code. Every range is checked (in 64-bit, so
/// nothing wraps) before anything is written, as the spec requires.
/// </summary>
internal static unsafe class BulkOps
{
    public static void MemoryInit(int destination, int source, int count, int segment, InstanceContext context)
    {
        var data = context.Datas[segment];
        var memory = context.Memory0!;
        if ((ulong)(uint)source + (uint)count > (ulong)data.Length || (ulong)(uint)destination + (uint)count > (ulong)memory.Length)
        {
            ThrowHelper.Throw(TrapCode.MemoryOutOfBounds);
        }

        data.AsSpan(source, count).CopyTo(new Span<byte>(memory.Base + (uint)destination, count));
    }

    public static void DataDrop(int segment, InstanceContext context) => context.Datas[segment] = [];

    public static void MemoryCopy(int destination, int source, int count, Memory memory)
    {
        var length = (ulong)memory.Length;
        if ((ulong)(uint)source + (uint)count > length || (ulong)(uint)destination + (uint)count > length)
        {
            ThrowHelper.Throw(TrapCode.MemoryOutOfBounds);
        }

        Buffer.MemoryCopy(memory.Base + (uint)source, memory.Base + (uint)destination, (uint)count, (uint)count);
    }

    public static void MemoryFill(int destination, int value, int count, Memory memory)
    {
        if ((ulong)(uint)destination + (uint)count > (ulong)memory.Length)
        {
            ThrowHelper.Throw(TrapCode.MemoryOutOfBounds);
        }

        NativeMemory.Fill(memory.Base + (uint)destination, (uint)count, (byte)value);
    }

    public static int MemoryGrow(int delta, Memory memory) => (int)memory.Grow((uint)delta);

    public static void TableInit(int destination, int source, int count, int segment, int table, InstanceContext context)
    {
        var items = context.Elements[segment];
        var elements = context.Tables[table].Elements;
        if ((ulong)(uint)source + (uint)count > (ulong)items.Length || (ulong)(uint)destination + (uint)count > (ulong)elements.Length)
        {
            ThrowHelper.Throw(TrapCode.TableOutOfBounds);
        }

        Array.Copy(items, source, elements, destination, count);
    }

    public static void ElemDrop(int segment, InstanceContext context) => context.Elements[segment] = [];

    public static void TableCopy(int destination, int source, int count, int destinationTable, int sourceTable, InstanceContext context)
    {
        var dst = context.Tables[destinationTable].Elements;
        var src = context.Tables[sourceTable].Elements;
        if ((ulong)(uint)source + (uint)count > (ulong)src.Length || (ulong)(uint)destination + (uint)count > (ulong)dst.Length)
        {
            ThrowHelper.Throw(TrapCode.TableOutOfBounds);
        }

        // Array.Copy handles overlap within one array like memmove.
        Array.Copy(src, source, dst, destination, count);
    }

    public static int TableGrow(object? init, int delta, Table table) => (int)table.GrowCore((uint)delta, init);

    public static int TableSize(Table table) => table.Elements.Length;

    public static void TableFill(int index, object? value, int count, Table table)
    {
        var elements = table.Elements;
        if ((ulong)(uint)index + (uint)count > (ulong)elements.Length)
        {
            ThrowHelper.Throw(TrapCode.TableOutOfBounds);
        }

        Array.Fill(elements, value, index, count);
    }

    public static object? TableGet(int index, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length)
        {
            ThrowHelper.Throw(TrapCode.TableOutOfBounds);
        }

        return elements[index];
    }

    public static void TableSet(int index, object? value, Table table)
    {
        var elements = table.Elements;
        if ((uint)index >= (uint)elements.Length)
        {
            ThrowHelper.Throw(TrapCode.TableOutOfBounds);
        }

        elements[index] = value;
    }
}
