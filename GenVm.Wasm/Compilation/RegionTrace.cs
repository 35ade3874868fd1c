namespace GenVm.Wasm.Compilation;

/// <summary>
/// The structured regions (block, loop, if) of one function, with the IL each one costs, recorded by a dry run of
/// <see cref="FunctionCompiler"/> for <see cref="RegionPlanner"/>.
/// </summary>
internal sealed class RegionTrace
{
    private readonly Stack<RegionNode> _open = new();

    /// <summary>The function body as a region (its children are the outermost regions).</summary>
    public RegionNode Function { get; } = new(-1, default, null);

    /// <summary>The outermost regions of the function body, in code order.</summary>
    public List<RegionNode> Roots => Function.Children;

    /// <summary>Offsets of the tail calls (a straight-line piece must not hold one).</summary>
    public List<int> TailCalls { get; } = [];

    /// <summary>The operand stack of the innermost region is empty before the instruction at <paramref name="offset"/>.</summary>
    public void Cut(int offset, IlMetrics at) => Current.Cuts[^1].Add((offset, at));

    /// <summary>An <c>else</c>: straight-line runs do not cross it.</summary>
    public void Barrier() => Current.Cuts.Add([]);

    private RegionNode Current => _open.TryPeek(out var node) ? node : Function;

    /// <summary>A region starts at the opcode at <paramref name="start"/>; <paramref name="at"/> is the IL emitted so far.</summary>
    public void Open(int start, IlMetrics at)
    {
        var node = new RegionNode(start, at, Current);
        Current.Children.Add(node);

        _open.Push(node);
    }

    /// <summary>The innermost open region ended just before <paramref name="end"/>.</summary>
    public void Close(IlMetrics at, int end)
    {
        // The function frame's own end closes no region.
        if (_open.TryPop(out var node))
        {
            node.Cost = at - node.StartMetrics;
            node.End = end;
        }
    }

    /// <summary>
    /// A <c>return_call</c> was compiled: the open regions must stay in the function's own method, since a tail
    /// call has to replace the wasm frame itself.
    /// </summary>
    public void MarkTailCall(int offset)
    {
        TailCalls.Add(offset);
        foreach (var node in _open)
        {
            node.HasTailCall = true;
        }
    }
}
