using GenVm.Wasm.Binary;
using GenVm.Wasm.Validation;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Bounds-check elimination for innermost counted loops (issue 4 item 7). Proves, from the wasm alone, that every
/// iteration's effective address of an access is an affine function of the iteration number n whose maximum over the
/// loop's iterations can be computed before the loop; the compiler then tests that maximum against the memory length
/// once per loop entry and runs a copy of the loop with those accesses unchecked (see <see cref="LoopPlan"/>).
/// </summary>
/// <remarks>
/// Shapes accepted (clang -O2's rotated loops): an empty-typed <c>loop</c> with no nested loop whose only branch back
/// to its head is a final top-level <c>br_if 0</c> on <c>i32.ne</c>/<c>lt_u</c>/<c>lt_s</c>/<c>gt_u</c>/<c>gt_s</c> of the
/// stepped counter and a loop-invariant limit. An induction variable is an i32 local written exactly once, at the top
/// level of the body, as <c>itself + c</c> with 0 &lt; c ≤ 4096; since every path to the back edge passes that write,
/// its value in iteration n is <c>entry + c·n</c> (plus c after the write), modulo 2^32. Other locals written in the
/// body are known only after a write in the same iteration, and forgotten at the end of a nested block that wrote them.
/// Memory never shrinks and its base never moves, so a guard that held at loop entry holds for the whole loop even if a
/// callee grows the memory. A trap in the unchecked copy is impossible; the checked copy keeps the exact trap point.
/// </remarks>
internal static class LoopVersioning
{
    private const long MaxStep = 1 << 12;
    private const int MaxChecks = 8;
    private const long MaxSlope = 1 << 20;

    /// <summary>Analyses the loop whose body starts at <paramref name="bodyStart"/> (after its block type).</summary>
    public static LoopPlan? Analyze(ModuleDefinition definition, int bodyStart, ValueKind[] localKinds)
    {
        var writes = new int[localKinds.Length];
        var nested = new bool[localKinds.Length];
        if (!ScanStructure(definition, bodyStart, writes, nested))
        {
            return null;
        }

        var invalid = new HashSet<int>();
        for (var round = 0; round <= localKinds.Length; round++)
        {
            var before = invalid.Count;
            var evaluation = Evaluate(definition, bodyStart, localKinds, writes, nested, invalid);
            if (evaluation is null)
            {
                return null;
            }

            if (invalid.Count == before)
            {
                return Plan(evaluation.Value, writes, invalid);
            }
        }

        return null;
    }

    /// <summary>Counts writes per local and checks the control shape (see the remarks).</summary>
    private static bool ScanStructure(ModuleDefinition definition, int bodyStart, int[] writes, bool[] nested)
    {
        var reader = new CodeReader(definition.Bytes, bodyStart);
        var depth = 0;
        var backEdges = 0;
        var lastWasFinalBrIf = false;
        var hasAccess = false;
        while (true)
        {
            var op = reader.ReadOpcode();
            var finalBrIf = false;
            switch (op)
            {
                case Opcode.Loop:
                    return false;
                case Opcode.Block or Opcode.If:
                    reader.SkipImmediates(op);
                    depth++;
                    break;
                case Opcode.End when depth == 0:
                    return lastWasFinalBrIf && backEdges == 1 && hasAccess;
                case Opcode.End:
                    depth--;
                    break;
                case Opcode.Br or Opcode.BrIf:
                {
                    var label = reader.ReadU32();
                    if (op == Opcode.Br && (depth == 0 || label == depth))
                    {
                        return false;
                    }

                    if (label == depth)
                    {
                        backEdges++;
                        finalBrIf = depth == 0;
                    }

                    break;
                }

                case Opcode.BrTable:
                {
                    var count = reader.ReadU32();
                    for (var i = 0; i <= count; i++)
                    {
                        if (reader.ReadU32() == depth)
                        {
                            return false;
                        }
                    }

                    if (depth == 0)
                    {
                        return false;
                    }

                    break;
                }

                case Opcode.Return or Opcode.Unreachable or Opcode.ReturnCall or Opcode.ReturnCallIndirect:
                    if (depth == 0)
                    {
                        return false;
                    }

                    reader.SkipImmediates(op);
                    break;
                case Opcode.LocalSet or Opcode.LocalTee:
                {
                    var index = (int)reader.ReadU32();
                    writes[index]++;
                    nested[index] |= depth > 0;
                    break;
                }

                case >= Opcode.I32Load and <= Opcode.I64Store32:
                    reader.SkipImmediates(op);
                    hasAccess = true;
                    break;
                default:
                    reader.SkipImmediates(op);
                    break;
            }

            lastWasFinalBrIf = finalBrIf;
        }
    }

    private readonly record struct Access(int Offset, LinearForm? Address, long Extent);

    private readonly record struct Evaluation(List<Access> Accesses, Dictionary<int, long> Steps, Condition? Exit);

    private sealed record Condition(Opcode Op, LinearForm Left, LinearForm Right);

    private sealed class Frame
    {
        public int Height { get; init; }

        public int Params { get; init; }

        public int Results { get; init; }

        public List<int> Written { get; } = [];
    }

    /// <summary>One symbolic pass over the body; adds to <paramref name="invalid"/> the counter candidates that are not induction variables.</summary>
    private static Evaluation? Evaluate(ModuleDefinition definition, int bodyStart, ValueKind[] kinds, int[] writes, bool[] nested, HashSet<int> invalid)
    {
        bool IsCandidate(int local) => kinds[local] == ValueKind.I32 && writes[local] == 1 && !nested[local] && !invalid.Contains(local);

        var values = new LinearForm?[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != ValueKind.I32)
            {
                continue;
            }

            values[i] = writes[i] == 0 ? LinearForm.Term(i)
                : IsCandidate(i) ? LinearForm.Term(i).Add(LinearForm.Term(LinearForm.AdvanceKey(i)))
                : null;
        }

        var stack = new List<object?>();
        var frames = new List<Frame>();
        var accesses = new List<Access>();
        var steps = new Dictionary<int, long>();
        Condition? exit = null;
        var reader = new CodeReader(definition.Bytes, bodyStart);

        object? Pop()
        {
            if (stack.Count == 0)
            {
                throw new InvalidOperationException();
            }

            var value = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return value;
        }

        void PopN(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Pop();
            }
        }

        void PushN(int count)
        {
            for (var i = 0; i < count; i++)
            {
                stack.Add(null);
            }
        }

        void Assign(int local, object? value)
        {
            var form = value as LinearForm;
            if (IsCandidate(local))
            {
                if (form is not null && form.Terms.Length == 2 && form.Constant is > 0 and <= MaxStep
                    && form.IsPair(local, LinearForm.AdvanceKey(local), form.Constant))
                {
                    steps[local] = form.Constant;
                }
                else
                {
                    invalid.Add(local);
                }
            }

            values[local] = kinds[local] == ValueKind.I32 ? form : null;
            if (frames.Count > 0)
            {
                frames[^1].Written.Add(local);
            }
        }

        (int Params, int Results) BlockArity(ref CodeReader r)
        {
            r.ReadBlockType(out var single, out var typeIndex);
            if (single is not null)
            {
                return (0, 1);
            }

            if (typeIndex < 0)
            {
                return (0, 0);
            }

            var type = definition.Types[typeIndex];
            return (type.Parameters.Length, type.Results.Length);
        }

        try
        {
            var dead = false;
            var deadDepth = 0;
            while (true)
            {
                var position = reader.Position;
                var op = reader.ReadOpcode();
                if (dead)
                {
                    switch (op)
                    {
                        case Opcode.Block or Opcode.Loop or Opcode.If:
                            reader.SkipImmediates(op);
                            deadDepth++;
                            continue;
                        case Opcode.End when deadDepth > 0:
                            deadDepth--;
                            continue;
                        case Opcode.End or Opcode.Else when deadDepth == 0:
                            dead = false;
                            break;
                        default:
                            reader.SkipImmediates(op);
                            continue;
                    }
                }

                switch (op)
                {
                    case Opcode.Nop:
                        break;
                    case Opcode.Block or Opcode.If:
                    {
                        var (parameters, results) = BlockArity(ref reader);
                        if (op == Opcode.If)
                        {
                            Pop();
                        }

                        frames.Add(new Frame { Height = stack.Count - parameters, Params = parameters, Results = results });
                        break;
                    }

                    case Opcode.Else:
                    {
                        var frame = frames[^1];
                        foreach (var local in frame.Written)
                        {
                            values[local] = null;
                        }

                        stack.RemoveRange(frame.Height, stack.Count - frame.Height);
                        PushN(frame.Params);
                        break;
                    }

                    case Opcode.End:
                    {
                        if (frames.Count == 0)
                        {
                            return new Evaluation(accesses, steps, exit);
                        }

                        var frame = frames[^1];
                        frames.RemoveAt(frames.Count - 1);
                        foreach (var local in frame.Written)
                        {
                            values[local] = null;
                        }

                        stack.RemoveRange(frame.Height, stack.Count - frame.Height);
                        PushN(frame.Results);
                        break;
                    }

                    case Opcode.Br or Opcode.Return or Opcode.Unreachable or Opcode.BrTable or Opcode.ReturnCall
                        or Opcode.ReturnCallIndirect:
                        reader.SkipImmediates(op);
                        dead = true;
                        deadDepth = 0;
                        break;
                    case Opcode.BrIf:
                    {
                        reader.ReadU32();
                        var condition = Pop();
                        if (frames.Count == 0)
                        {
                            // The only top-level br_if reaching the loop head is the final one (ScanStructure); a
                            // top-level br_if leaving the loop is just an early exit.
                            exit = condition as Condition;
                        }

                        break;
                    }

                    case Opcode.Call:
                    {
                        var type = definition.GetFunctionType(reader.ReadU32());
                        PopN(type.Parameters.Length);
                        PushN(type.Results.Length);
                        break;
                    }

                    case Opcode.CallIndirect:
                    {
                        var type = definition.Types[(int)reader.ReadU32()];
                        reader.ReadU32();
                        PopN(1 + type.Parameters.Length);
                        PushN(type.Results.Length);
                        break;
                    }

                    case Opcode.Drop:
                        Pop();
                        break;
                    case Opcode.Select or Opcode.SelectTyped:
                        reader.SkipImmediates(op);
                        PopN(3);
                        PushN(1);
                        break;
                    case Opcode.LocalGet:
                        stack.Add(values[(int)reader.ReadU32()]);
                        break;
                    case Opcode.LocalSet:
                        Assign((int)reader.ReadU32(), Pop());
                        break;
                    case Opcode.LocalTee:
                        Assign((int)reader.ReadU32(), stack[^1]);
                        break;
                    case Opcode.GlobalGet or Opcode.TableSize or Opcode.MemorySize or Opcode.RefFunc or Opcode.RefNull:
                        reader.SkipImmediates(op);
                        PushN(1);
                        break;
                    case Opcode.GlobalSet:
                        reader.SkipImmediates(op);
                        Pop();
                        break;
                    case Opcode.TableGet or Opcode.MemoryGrow:
                        reader.SkipImmediates(op);
                        Pop();
                        PushN(1);
                        break;
                    case Opcode.TableSet:
                        reader.SkipImmediates(op);
                        PopN(2);
                        break;
                    case Opcode.TableGrow:
                        reader.SkipImmediates(op);
                        PopN(2);
                        PushN(1);
                        break;
                    case Opcode.MemoryInit or Opcode.MemoryCopy or Opcode.MemoryFill or Opcode.TableInit
                        or Opcode.TableCopy or Opcode.TableFill:
                        reader.SkipImmediates(op);
                        PopN(3);
                        break;
                    case Opcode.DataDrop or Opcode.ElemDrop:
                        reader.SkipImmediates(op);
                        break;
                    case Opcode.RefIsNull:
                        Pop();
                        PushN(1);
                        break;
                    case >= Opcode.I32Load and <= Opcode.I64Load32U:
                    {
                        reader.ReadU32();
                        var offset = reader.ReadU32();
                        accesses.Add(new Access(position, Pop() as LinearForm, offset + AccessSize(op)));
                        PushN(1);
                        break;
                    }

                    case >= Opcode.I32Store and <= Opcode.I64Store32:
                    {
                        reader.ReadU32();
                        var offset = reader.ReadU32();
                        Pop();
                        accesses.Add(new Access(position, Pop() as LinearForm, offset + AccessSize(op)));
                        break;
                    }

                    case Opcode.I32Const:
                        stack.Add(LinearForm.Const(reader.ReadS32()));
                        break;
                    case Opcode.I64Const or Opcode.F32Const or Opcode.F64Const:
                        reader.SkipImmediates(op);
                        PushN(1);
                        break;
                    case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul or Opcode.I32Shl:
                    {
                        var right = Pop() as LinearForm;
                        var left = Pop() as LinearForm;
                        stack.Add(left is null || right is null ? null : Arithmetic(op, left, right));
                        break;
                    }

                    case Opcode.I32Ne or Opcode.I32LtU or Opcode.I32LtS or Opcode.I32GtU or Opcode.I32GtS:
                    {
                        var right = Pop() as LinearForm;
                        var left = Pop() as LinearForm;
                        stack.Add(left is null || right is null ? null : new Condition(op, left, right));
                        break;
                    }

                    case >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U:
                        PopN(1);
                        PushN(1);
                        break;
                    case < (Opcode)256 when NumericSignatures.Operand1[(int)op] != 0:
                        PopN(NumericSignatures.Operand2[(int)op] != 0 ? 2 : 1);
                        PushN(1);
                        break;
                    default:
                        return null;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // An operand stack shape this pass does not model: no versioning.
            return null;
        }
    }

    private static LinearForm? Arithmetic(Opcode op, LinearForm left, LinearForm right)
    {
        var rightConstant = right.Terms.Length == 0;
        switch (op)
        {
            case Opcode.I32Add:
                return left.Add(right);
            case Opcode.I32Sub when rightConstant:
                return left.AddConstant(-right.Constant);
            case Opcode.I32Mul when rightConstant:
                return left.Scale(right.Constant);
            case Opcode.I32Mul when left.Terms.Length == 0:
                return right.Scale(left.Constant);
            case Opcode.I32Shl when rightConstant && (right.Constant & 31) <= 16:
                return left.Scale(1L << (int)(right.Constant & 31));
            default:
                return null;
        }
    }

    private static int AccessSize(Opcode op) => op switch
    {
        Opcode.I64Load or Opcode.F64Load or Opcode.I64Store or Opcode.F64Store => 8,
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U or Opcode.I32Store
            or Opcode.F32Store or Opcode.I64Store32 => 4,
        Opcode.I32Load16S or Opcode.I32Load16U or Opcode.I64Load16S or Opcode.I64Load16U or Opcode.I32Store16
            or Opcode.I64Store16 => 2,
        _ => 1,
    };

    private static LoopPlan? Plan(Evaluation evaluation, int[] writes, HashSet<int> invalid)
    {
        bool IsInductive(int local) => evaluation.Steps.ContainsKey(local) && !invalid.Contains(local);

        if (evaluation.Exit is not { } exit)
        {
            return null;
        }

        // Normalise `limit > counter` to `counter < limit`; `ne` is symmetric.
        var (op, counterSide, limitSide) = exit.Op switch
        {
            Opcode.I32GtU => (Opcode.I32LtU, exit.Right, exit.Left),
            Opcode.I32GtS => (Opcode.I32LtS, exit.Right, exit.Left),
            _ => (exit.Op, exit.Left, exit.Right),
        };

        int? Counter(LinearForm form)
        {
            foreach (var (key, _) in form.Terms)
            {
                if (key >= 0 && IsInductive(key) && form.IsPair(key, LinearForm.AdvanceKey(key), evaluation.Steps[key]))
                {
                    return key;
                }
            }

            return null;
        }

        bool IsInvariant(LinearForm form) => form.Terms.All(t => t.Key >= 0 && writes[t.Key] == 0);

        var counter = Counter(counterSide);
        if ((counter is null || !IsInvariant(limitSide)) && op == Opcode.I32Ne)
        {
            (counterSide, limitSide) = (limitSide, counterSide);
            counter = Counter(counterSide);
        }

        if (counter is not int counterLocal || !IsInvariant(limitSide))
        {
            return null;
        }

        // Each access whose address is an affine form of entry values and advances joins the guard of its term set.
        var groups = new Dictionary<string, (KeyValuePair<int, long>[] Terms, long Slope, long Extent, List<int> Offsets)>();
        foreach (var access in evaluation.Accesses)
        {
            if (access.Address is not { Constant: >= 0 } address)
            {
                continue;
            }

            var slope = 0L;
            var terms = new List<KeyValuePair<int, long>>();
            var usable = true;
            foreach (var (key, coefficient) in address.Terms)
            {
                if (key < 0)
                {
                    var local = -1 - key;
                    usable &= IsInductive(local);
                    slope += usable ? coefficient * evaluation.Steps[local] : 0;
                }
                else
                {
                    usable &= writes[key] == 0 || IsInductive(key);
                    terms.Add(new(key, coefficient));
                }
            }

            // Keeps slope·nMax (nMax < 2^32) and the guard's whole sum far below 2^63: the guard must not overflow.
            if (!usable || slope > MaxSlope)
            {
                continue;
            }

            var extent = address.Constant + access.Extent;
            var groupKey = string.Join(',', terms.Select(t => $"{t.Key}*{t.Value}")) + "/" + slope;
            if (groups.TryGetValue(groupKey, out var group))
            {
                group.Offsets.Add(access.Offset);
                groups[groupKey] = group with { Extent = Math.Max(group.Extent, extent) };
            }
            else
            {
                groups[groupKey] = ([.. terms], slope, extent, [access.Offset]);
            }
        }

        var chosen = groups.Values.OrderByDescending(g => g.Offsets.Count).Take(MaxChecks).ToList();
        if (chosen.Count == 0)
        {
            return null;
        }

        return new LoopPlan
        {
            Counter = counterLocal,
            Step = evaluation.Steps[counterLocal],
            Compare = op,
            Limit = limitSide,
            Checks = [.. chosen.Select(g => (g.Terms, g.Slope, g.Extent))],
            UncheckedAccesses = [.. chosen.SelectMany(g => g.Offsets)],
        };
    }
}
