using System.Reflection.Emit;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Compiles one function, splitting it into outlined pieces when its method would exceed RyuJIT's
/// full-optimisation thresholds (RyuJIT compiles such methods with MinOpts, several times slower; CPython's eval
/// loop is one). Functions below the thresholds compile exactly as before.
/// </summary>
internal static class FunctionSplitter
{
    /// <summary>
    /// Bodies shorter than this many bytes are never measured: the IL of one wasm byte stays well below
    /// 1/<see cref="MinimumCodeLength"/> of any threshold (measured on CPython: about 1.4 local references per byte
    /// at most, so 8,000 local references need well over 3,000 bytes).
    /// </summary>
    internal const int MinimumCodeLength = 3_000;

    /// <summary>Pieces and the remaining function aim at this fraction of every threshold (slack for the estimate).</summary>
    internal const double Budget = 0.6;

    public static void Compile(ModuleCompilation module, FunctionBody body, MethodBuilder method)
    {
        if (body.CodeLength < MinimumCodeLength || !module.Engine.Config.SplitOversizedFunctions || !NeedsSplit(module, body, out var split))
        {
            new FunctionCompiler(module, body, method).Compile();
            return;
        }

        var final = new FunctionSplit
        {
            InFrame = split.InFrame,
            Layout = FrameLayout.Define(module.ModuleBuilder, body.FunctionIndex, split.LocalKinds, split.InFrame),
            Outlined = split.Starts,
            Segments = split.Segments,
            Root = method,
        };
        module.Frames.Add(final.Layout);
        var il = new MeteredILGenerator(method.GetILGenerator(Math.Max(64, body.CodeLength * 4)));
        new FunctionCompiler(module, body, il, final).Compile();

        // The pieces' site maps follow the function's own, each after a marker (CompiledModule.OffsetMaps), so the
        // per-function maps (and the compile cache's copy of them) carry them without a format of their own.
        var defined = (int)body.FunctionIndex - module.Definition.ImportedFunctionCount;
        var combined = new List<int>(module.OffsetMaps[defined]);
        foreach (var (number, map) in final.PieceOffsetMaps.OrderBy(p => p.Key))
        {
            combined.Add(CompiledModule.PieceMarker);
            combined.Add(number);
            combined.Add(map.Length);
            combined.AddRange(map);
        }

        module.OffsetMaps[defined] = [.. combined];
    }

    private readonly record struct SplitPlan(HashSet<int> Starts, Dictionary<int, int> Segments, bool[] InFrame, ValueKind[] LocalKinds);

    private static bool NeedsSplit(ModuleCompilation module, FunctionBody body, out SplitPlan plan)
    {
        plan = default;
        var probe = new FunctionCompiler(module, body, new MeteredILGenerator(null), null);
        probe.Compile();
        if (!probe.Metrics.ExceedsJitLimits)
        {
            return false;
        }

        // Measure every region with every local in the frame: what a piece pays for frame access is included.
        var type = module.Definition.GetFunctionType(body.FunctionIndex);
        ValueKind[] localKinds = [.. type.Parameters, .. body.Locals];
        var trace = new RegionTrace();
        var measure = new FunctionCompiler(
            module,
            body,
            new MeteredILGenerator(null),
            new FunctionSplit { InFrame = [.. localKinds.Select(_ => true)], Layout = FrameLayout.Dry(localKinds.Length), Trace = trace });
        measure.Compile();
        var (regions, segments) = RegionPlanner.Plan(trace, measure.Metrics, Budget);

        // Thousands of wasm locals exceed the JIT's local count by themselves: they all move to the frame (one IL
        // local), which is then enough if nothing else is too large.
        var manyLocals = probe.Metrics.Locals > IlMetrics.JitLimits.Locals * Budget;
        if (regions.Count == 0 && segments.Count == 0 && !(manyLocals && !measure.Metrics.ExceedsJitLimits))
        {
            return false;
        }

        var inFrame = new bool[localKinds.Length];
        if (manyLocals)
        {
            Array.Fill(inFrame, true);
        }

        foreach (var region in regions)
        {
            MarkLocals(module.Definition.Bytes, region.Start, region.End, inFrame);
        }

        foreach (var (start, end) in segments)
        {
            MarkLocals(module.Definition.Bytes, start, end, inFrame);
        }

        plan = new SplitPlan([.. regions.Select(r => r.Start)], segments.ToDictionary(s => s.Start, s => s.End), inFrame, localKinds);
        return true;
    }

    /// <summary>Marks the locals that the code in [start, end) reads or writes.</summary>
    private static void MarkLocals(ReadOnlySpan<byte> bytes, int start, int end, bool[] inFrame)
    {
        var reader = new CodeReader(bytes, start);
        while (reader.Position < end)
        {
            var op = reader.ReadOpcode();
            if (op is Opcode.LocalGet or Opcode.LocalSet or Opcode.LocalTee)
            {
                inFrame[reader.ReadU32()] = true;
            }
            else
            {
                reader.SkipImmediates(op);
            }
        }
    }
}
