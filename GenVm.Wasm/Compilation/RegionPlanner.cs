namespace GenVm.Wasm.Compilation;

/// <summary>
/// Chooses what of an oversized function becomes outlined pieces, so every resulting method stays within
/// RyuJIT's full-optimisation thresholds (<see cref="IlMetrics.JitLimits"/>).
/// <para>
/// Bottom-up: while a region (or the function) is larger than the budget, the largest straight-line run between
/// two points where a region's operand stack is empty (anywhere inside it, not yet outlined) becomes a piece; only
/// when no run is left does a whole nested region. Runs first keeps the control skeleton (loops, the nests of
/// blocks a <c>br_table</c> dispatches into) in one method: an interpreter's dispatch then costs one call to the
/// handler's piece, where outlining the nest of blocks would make every dispatch cross a chain of pieces.
/// </para>
/// </summary>
internal static class RegionPlanner
{
    /// <summary>
    /// What a call of a piece costs its caller (frame transfers, the call, the exit dispatch) and the piece
    /// itself (prologue, exit stubs): a generous estimate.
    /// </summary>
    public static readonly IlMetrics CallCost = new(30, 10, 4, 100, 1);

    /// <summary>Nested regions above this share of the budget (before any outlining) stay out of straight-line runs.</summary>
    private const double LargeRegionShare = 0.25;

    /// <summary>Pieces smaller than this are never worth a call.</summary>
    private const double MinimumLoad = 0.02;

    /// <summary>
    /// The regions and straight-line runs to outline (possibly none), given the trace of a dry run and the
    /// function's total IL.
    /// </summary>
    public static (List<RegionNode> Regions, List<(int Start, int End)> Segments) Plan(RegionTrace trace, IlMetrics total, double budget)
    {
        var plan = new Planner(budget, trace.TailCalls);
        trace.Function.Cost = total;
        plan.Reduce(trace.Function);
        return (plan.Regions, plan.Segments);
    }

    private sealed class Planner(double budget, List<int> tailCalls)
    {
        public List<RegionNode> Regions { get; } = [];

        public List<(int Start, int End)> Segments { get; } = [];

        public void Reduce(RegionNode node)
        {
            foreach (var child in node.Children)
            {
                Reduce(child);
            }

            var effective = node.Cost;
            foreach (var child in node.Children)
            {
                effective -= child.Cost - child.Effective;
            }

            node.Effective = effective;
            while (node.Effective.Load > budget)
            {
                if (LargestRun(node) is { } run)
                {
                    Outline(run, node);
                    continue;
                }

                RegionNode? best = null;
                foreach (var child in node.Children)
                {
                    if (!child.Outlined && !child.Covered && !child.HasTailCall && child.Effective.Load >= MinimumLoad
                        && (best is null || child.Effective.Load > best.Effective.Load))
                    {
                        best = child;
                    }
                }

                if (best is null)
                {
                    return;
                }

                best.Outlined = true;
                Regions.Add(best);
                node.Effective -= best.Effective - CallCost;
            }
        }

        private void Outline(Run run, RegionNode reduced)
        {
            Segments.Add((run.Start, run.End));
            run.Owner.Segments.Add((run.Start, run.End));
            foreach (var child in run.Owner.Children)
            {
                if (child.Start >= run.Start && child.End <= run.End)
                {
                    child.Covered = true;
                }
            }

            // The owner and every region up to the one being reduced shrink by the run (the regions around that one
            // are sized from their children's sizes later).
            var saving = run.Cost - CallCost;
            for (var x = run.Owner; ; x = x.Parent!)
            {
                x.Effective -= saving;
                if (x == reduced)
                {
                    break;
                }
            }
        }

        /// <summary>The largest straight-line run inside <paramref name="node"/> (nested regions included).</summary>
        private Run? LargestRun(RegionNode node)
        {
            Run? best = null;
            var pending = new Stack<RegionNode>();
            pending.Push(node);
            while (pending.TryPop(out var current))
            {
                foreach (var run in Runs(current))
                {
                    if (best is null || run.Cost.Load > best.Value.Cost.Load)
                    {
                        best = run;
                    }
                }

                foreach (var child in current.Children)
                {
                    if (!child.Outlined && !child.Covered)
                    {
                        pending.Push(child);
                    }
                }
            }

            return best;
        }

        /// <summary>
        /// The runs of <paramref name="node"/>'s own code: each arm is cut greedily into the longest runs within the
        /// budget, between the runs already outlined and around tail calls.
        /// </summary>
        private IEnumerable<Run> Runs(RegionNode node)
        {
            if (node.Cuts.All(g => g.Count < 2))
            {
                yield break;
            }

            // Savings of the nested regions ending at or before an offset: a run between two cut points of this
            // region holds whole nested regions only.
            var ends = new int[node.Children.Count];
            var savings = new IlMetrics[node.Children.Count + 1];
            for (var i = 0; i < node.Children.Count; i++)
            {
                var child = node.Children[i];
                ends[i] = child.End;
                var contribution = child.Outlined ? CallCost : child.Effective;
                savings[i + 1] = savings[i] + (child.Cost - contribution);
            }

            IlMetrics SavedBefore(int offset)
            {
                var index = Array.BinarySearch(ends, offset);
                return savings[index >= 0 ? index + 1 : ~index];
            }

            IlMetrics Cost((int Offset, IlMetrics At) from, (int Offset, IlMetrics At) to) =>
                to.At - from.At - (SavedBefore(to.Offset) - SavedBefore(from.Offset));

            // A run does not swallow a large nested region: that region is likely a dispatch nest whose handlers
            // are this region's runs, and outlining the runs keeps the dispatch direct.
            bool Blocked(int start, int end) =>
                tailCalls.Exists(t => t >= start && t < end)
                || node.Segments.Exists(s => s.Start < end && start < s.End)
                || node.Children.Exists(c => c.Start >= start && c.End <= end && c.Cost.Load > budget * LargeRegionShare);

            foreach (var group in node.Cuts)
            {
                var s = 0;
                for (var j = 1; j <= group.Count; j++)
                {
                    var stop = j == group.Count || Blocked(group[j - 1].Offset, group[j].Offset) || Cost(group[s], group[j]).Load > budget;
                    if (!stop)
                    {
                        continue;
                    }

                    if (j - 1 > s)
                    {
                        var cost = Cost(group[s], group[j - 1]);
                        if (cost.Load >= MinimumLoad)
                        {
                            yield return new Run(node, group[s].Offset, group[j - 1].Offset, cost);
                        }
                    }

                    // Start the next run at the point the last one ended, unless the step from there is itself
                    // unusable (blocked, or one statement larger than the budget).
                    s = j - 1;
                    if (j < group.Count && (Blocked(group[s].Offset, group[j].Offset) || Cost(group[s], group[j]).Load > budget))
                    {
                        s = j;
                    }
                }
            }
        }
    }

    private readonly record struct Run(RegionNode Owner, int Start, int End, IlMetrics Cost);
}
