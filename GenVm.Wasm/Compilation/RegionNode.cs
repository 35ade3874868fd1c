namespace GenVm.Wasm.Compilation;

/// <summary>One structured region of a function (see <see cref="RegionTrace"/>).</summary>
internal sealed class RegionNode(int start, IlMetrics startMetrics, RegionNode? parent)
{
    /// <summary>The enclosing region (null for the function).</summary>
    public RegionNode? Parent { get; } = parent;

    /// <summary>Inside a straight-line run chosen for outlining (so no longer a candidate of its own).</summary>
    public bool Covered { get; set; }

    /// <summary>Offset of the block/loop/if opcode in the module binary.</summary>
    public int Start { get; } = start;

    /// <summary>Offset just after the region's <c>end</c>.</summary>
    public int End { get; set; }

    /// <summary>The IL emitted before the region.</summary>
    public IlMetrics StartMetrics { get; } = startMetrics;

    /// <summary>The IL of the region, nested regions included.</summary>
    public IlMetrics Cost { get; set; }

    /// <summary>The IL of the region once the chosen nested regions are outlined (set by the planner).</summary>
    public IlMetrics Effective { get; set; }

    /// <summary>The region contains a tail call, so it cannot be outlined.</summary>
    public bool HasTailCall { get; set; }

    /// <summary>Chosen to become a method of its own.</summary>
    public bool Outlined { get; set; }

    /// <summary>Regions directly nested in this one.</summary>
    public List<RegionNode> Children { get; } = [];

    /// <summary>
    /// Points between instructions of this region (not of nested ones) where its operand stack is empty, grouped
    /// by arm (an <c>else</c> starts a new group): a straight-line run between two points of a group can become a
    /// piece too (<see cref="RegionPlanner"/>).
    /// </summary>
    public List<List<(int Offset, IlMetrics At)>> Cuts { get; } = [[]];

    /// <summary>Chosen straight-line runs [start, end) of this region.</summary>
    public List<(int Start, int End)> Segments { get; } = [];
}
