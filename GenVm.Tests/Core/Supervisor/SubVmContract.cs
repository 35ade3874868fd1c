using GenVm.Core.Calldata;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// WAT contracts for sub-VM tests. A VM that may read storage (the top-level VM) is "main": it sends
/// <see cref="MainRequest"/> through <c>gl_call</c> (a failing errno becomes its exit code) and returns the result
/// file as <c>Bytes</c> (or null when there is none). Any other VM (sandbox, nondet, where <c>storage_read</c> is
/// forbidden) runs <see cref="Leaf"/>.
/// </summary>
internal sealed class SubVmContract
{
    /// <summary>Leaf: return the VM's own message (fd 0) as the return value.</summary>
    public const string EchoMessage = "(call $ret_raw (i32.const 0))";

    /// <summary>Leaf: trap.</summary>
    public const string Trap = "unreachable";

    /// <summary>Leaf: return calldata <c>true</c>.</summary>
    public const string ReturnTrue = "(drop (call $gl_call (i32.const 1120) (i32.const 9) (i32.const 1040))) unreachable";

    /// <summary>Leaf: return calldata <c>false</c>.</summary>
    public const string ReturnFalse = "(drop (call $gl_call (i32.const 1140) (i32.const 9) (i32.const 1040))) unreachable";

    /// <summary>Leaf: <c>Rollback("no")</c>.</summary>
    public const string RollbackNo = "(drop (call $gl_call (i32.const 1160) (i32.const 13) (i32.const 1040))) unreachable";

    /// <summary>Leaf: exit with the errno of a zero-length <c>storage_read</c>.</summary>
    public const string ExitWithStorageReadErrno = "(call $proc_exit (call $storage_read (i32.const 1048) (i32.const 0) (i32.const 1100) (i32.const 0)))";

    /// <summary>Leaf: send <see cref="LeafRequest"/> and return its result file as raw calldata.</summary>
    public const string ReturnLeafRequestFile = "(call $ret_raw (call $request (i32.const 1200) (i32.const {LEAFLEN})))";

    /// <summary>The main VM's <c>gl_call</c>; null makes every VM a leaf.</summary>
    public CalldataValue? MainRequest { get; init; }

    /// <summary>How many times the main VM sends <see cref="MainRequest"/> (it returns the last result file).</summary>
    public int MainRepeat { get; init; } = 1;

    /// <summary>What a leaf VM does (one of the constants, or any WAT instructions).</summary>
    public string Leaf { get; init; } = EchoMessage;

    /// <summary>The request of <see cref="ReturnLeafRequestFile"/>.</summary>
    public CalldataValue? LeafRequest { get; init; }

    /// <summary>A map with one entry <c>{name: payload}</c>: a <c>gl_call</c> request.</summary>
    public static CalldataValue Request(string name, CalldataValue payload) => CalldataValue.FromMap((name, payload));

    /// <summary>The compiled module.</summary>
    public byte[] Compile() => WatCompiler.Compile(ToWat());

    /// <summary>The WAT text.</summary>
    public string ToWat()
    {
        var main = MainRequest is null ? [] : CalldataCodec.Encode(MainRequest);
        var leaf = LeafRequest is null ? [] : CalldataCodec.Encode(LeafRequest);
        if (main.Length > 1000 || leaf.Length > 2800)
        {
            throw new ArgumentException("request too long for the memory layout");
        }

        var mainPart = MainRequest is null ? string.Empty : $$"""
            (if (call $is_main) (then
              {{string.Concat(Enumerable.Repeat($"(drop (call $request (i32.const 16) (i32.const {main.Length})))", MainRepeat - 1))}}
              (local.set $fd (call $request (i32.const 16) (i32.const {{main.Length}})))
              (if (i32.eq (local.get $fd) (i32.const -1)) (then return))
              (call $ret_bytes (local.get $fd))))
            """;
        return $$"""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
              (import "genlayer_sdk" "storage_read" (func $storage_read (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 8)
              (data (i32.const 0) "\0e\06Return")
              (data (i32.const 16) "{{Escape(main)}}")
              (data (i32.const 1120) "\0e\06Return\10")
              (data (i32.const 1140) "\0e\06Return\08")
              (data (i32.const 1160) "\0e\08Rollback\14no")
              (data (i32.const 1200) "{{Escape(leaf)}}")
              {{WatSnippets.ReadAll}}
              (func $ret_raw (param $fd i32)
                (local $len i32)
                (local.set $len (call $read_all (local.get $fd) (i32.const 4112)))
                (memory.copy (i32.const 4104) (i32.const 0) (i32.const 8))
                (drop (call $gl_call (i32.const 4104) (i32.add (local.get $len) (i32.const 8)) (i32.const 1040)))
                unreachable)
              (func $ret_bytes (param $fd i32)
                (local $len i32) (local $v i32) (local $start i32)
                (local.set $len (call $read_all (local.get $fd) (i32.const 4112)))
                (local.set $v (i32.add (i32.shl (local.get $len) (i32.const 3)) (i32.const 3)))
                (if (i32.lt_u (local.get $v) (i32.const 128))
                  (then
                    (local.set $start (i32.const 4111))
                    (i32.store8 (i32.const 4111) (local.get $v)))
                  (else
                    (if (i32.lt_u (local.get $v) (i32.const 16384))
                      (then
                        (local.set $start (i32.const 4110))
                        (i32.store8 (i32.const 4110) (i32.or (i32.and (local.get $v) (i32.const 127)) (i32.const 128)))
                        (i32.store8 (i32.const 4111) (i32.shr_u (local.get $v) (i32.const 7))))
                      (else
                        (local.set $start (i32.const 4109))
                        (i32.store8 (i32.const 4109) (i32.or (i32.and (local.get $v) (i32.const 127)) (i32.const 128)))
                        (i32.store8 (i32.const 4110) (i32.or (i32.and (i32.shr_u (local.get $v) (i32.const 7)) (i32.const 127)) (i32.const 128)))
                        (i32.store8 (i32.const 4111) (i32.shr_u (local.get $v) (i32.const 14)))))))
                (local.set $start (i32.sub (local.get $start) (i32.const 8)))
                (memory.copy (local.get $start) (i32.const 0) (i32.const 8))
                (drop (call $gl_call (local.get $start) (i32.sub (i32.add (i32.const 4112) (local.get $len)) (local.get $start)) (i32.const 1040)))
                unreachable)
              (func $request (param $ptr i32) (param $len i32) (result i32)
                (local $e i32)
                (local.set $e (call $gl_call (local.get $ptr) (local.get $len) (i32.const 1040)))
                (if (local.get $e) (then (call $proc_exit (local.get $e))))
                (i32.load (i32.const 1040)))
              (func $is_main (result i32)
                (i32.eqz (call $storage_read (i32.const 1048) (i32.const 0) (i32.const 1100) (i32.const 0))))
              (func $leaf {{Leaf.Replace("{LEAFLEN}", leaf.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}})
              (func (export "_start")
                (local $fd i32)
                {{mainPart}}
                (call $leaf)))
            """;
    }

    private static string Escape(byte[] bytes) => string.Concat(bytes.Select(b => $"\\{b:x2}"));
}
