namespace GenVm.Wasm.Runtime;

/// <summary>
/// The run-time state of one instance as compiled code sees it. Every compiled function takes it as its last
/// argument. A generated subclass per module adds typed fields for globals, tables and imported functions.
/// </summary>
internal class InstanceContext
{
    /// <summary>The store's execution state (frame counter, interrupt flag, stack limit).</summary>
    public ExecState State = null!;

    /// <summary>Memory 0, or null when the instance has none.</summary>
    public Memory? Memory0;

    /// <summary>The public instance object.</summary>
    public Instance Instance = null!;

    /// <summary>Every function of the index space (imports first) as a reference, for <c>ref.func</c>.</summary>
    public Func[] Functions = [];

    /// <summary>Every linear memory of the index space (imports first).</summary>
    public Memory[] Memories = [];

    /// <summary>Every table of the index space.</summary>
    public Table[] Tables = [];

    /// <summary>Every global of the index space as a cell (defined internal globals are mirrored in typed fields).</summary>
    public Global?[] Globals = [];

    /// <summary>Data segments by index; a dropped (or active, after instantiation) segment is empty.</summary>
    public byte[][] Datas = [];

    /// <summary>Element segments by index, evaluated; a dropped segment is empty.</summary>
    public object?[][] Elements = [];
}
