using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Redundant bounds checks: once an access through a local's value passed its check, <c>value + extent &lt;= length</c>
/// holds for as long as the local keeps that value (memory never shrinks), so a later access through the same value
/// whose offset plus size is at most that extent cannot fail, and its check is left out. Such an access would have
/// passed its check, so no trap moves or disappears; only accesses that cannot trap lose their check.
/// </summary>
/// <remarks>
/// Facts are per wasm local: the largest checked extent (offset + size) and the local's write count when it was
/// checked, so any later <c>local.set</c>/<c>local.tee</c> voids it. Control flow is structured: a block or if starts
/// with the facts that hold before it (its entry is dominated by that point), an else and the code after an end
/// continue from that entry state (any path reaching them went through the entry; stale entries are voided by the write
/// counts), a loop head keeps only the facts of locals the loop body never writes, and the code after a loop's end
/// (reached only by falling out of the body) keeps the body's facts. Split functions keep every check.
/// </remarks>
internal sealed partial class FunctionCompiler
{
    private readonly Dictionary<int, (long Extent, int Version)> _extents = [];
    private readonly Dictionary<int, (long Serial, int Local, int Version)> _origins = [];
    private int[]? _localVersions;

    private bool TracksExtents => _split is null && _memoryLength is not null;

    /// <summary>After <c>local.get</c> pushed local <paramref name="index"/>: the value on top is that local's current value.</summary>
    private void NoteLocalValue(int index)
    {
        if (!TracksExtents || _localKinds[index] != ValueKind.I32)
        {
            return;
        }

        _localVersions ??= new int[_localKinds.Length];
        var depth = _stack.Count - 1;
        _origins[depth] = (_stamps[depth], index, _localVersions[index]);
    }

    /// <summary>Before a write of local <paramref name="index"/>: its old value's facts are void.</summary>
    private void NoteLocalWrite(int index)
    {
        if (_localVersions is not null)
        {
            _localVersions[index]++;
        }
    }

    /// <summary>The local whose current value is the operand at <paramref name="depth"/>, or -1.</summary>
    private int LocalAt(int depth)
    {
        if (_localVersions is not null && _origins.TryGetValue(depth, out var origin)
            && origin.Serial == _stamps[depth] && origin.Version == _localVersions[origin.Local])
        {
            return origin.Local;
        }

        return -1;
    }

    /// <summary>Whether an access of <paramref name="extent"/> bytes through <paramref name="local"/>'s value is already covered.</summary>
    private bool ExtentIsChecked(int local, long extent) =>
        local >= 0 && _extents.TryGetValue(local, out var fact) && fact.Version == _localVersions![local] && fact.Extent >= extent;

    /// <summary>Records that an access of <paramref name="extent"/> bytes through <paramref name="local"/>'s value passed its check.</summary>
    private void NoteChecked(int local, long extent)
    {
        if (local < 0)
        {
            return;
        }

        var version = _localVersions![local];
        if (!_extents.TryGetValue(local, out var fact) || fact.Version != version || fact.Extent < extent)
        {
            _extents[local] = (extent, version);
        }
    }

    /// <summary>The facts holding at a block's or if's entry (null when none).</summary>
    private Dictionary<int, (long Extent, int Version)>? SnapshotExtents() => _extents.Count == 0 ? null : new(_extents);

    /// <summary>At an else or after an end: continues from the facts of the frame's entry.</summary>
    private void RestoreExtents(Dictionary<int, (long Extent, int Version)>? snapshot)
    {
        _extents.Clear();
        if (snapshot is not null)
        {
            foreach (var (local, fact) in snapshot)
            {
                _extents[local] = fact;
            }
        }
    }

    /// <summary>At a loop head (body at <paramref name="bodyStart"/>): forgets the locals the body writes anywhere.</summary>
    private void ForgetLoopWrites(int bodyStart)
    {
        if (_extents.Count == 0)
        {
            return;
        }

        var reader = new CodeReader(_definition.Bytes, bodyStart);
        var depth = 0;
        while (_extents.Count > 0)
        {
            var op = reader.ReadOpcode();
            switch (op)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If:
                    reader.SkipImmediates(op);
                    depth++;
                    break;
                case Opcode.End when depth == 0:
                    return;
                case Opcode.End:
                    depth--;
                    break;
                case Opcode.LocalSet or Opcode.LocalTee:
                    _extents.Remove((int)reader.ReadU32());
                    break;
                default:
                    reader.SkipImmediates(op);
                    break;
            }
        }
    }
}
