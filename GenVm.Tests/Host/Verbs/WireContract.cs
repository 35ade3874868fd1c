using System.Globalization;
using System.Text;
using GenVm.Tests.Core.Supervisor;
using GenVm.Tests.Wasm;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// A WAT contract driven by a script, for wire tests. The top-level VM (the only one where a <c>storage_read</c> whose
/// range overflows u32 answers <c>inval</c>: sub-VMs answer <c>forbidden</c> first, wasm-abi.md §3) runs
/// <see cref="Steps"/> in order. Each step appends its errno octet to an output buffer and, on success, what it
/// produced (bytes read, a balance, or the whole result file of a <c>gl_call</c>, wasm-abi.md §4.1); the VM then ends
/// with <c>Return(Bytes(output))</c>. Every other VM (sandbox, nondet leader/validator, a called contract with no
/// steps) is a leaf: it returns its own <c>entry_data</c> parsed as calldata (<c>{"Return": entry_data}</c>), so a
/// test picks a sub-VM's result by the data it hands it. Steps added after <see cref="InSubVms"/> run in every such
/// leaf before it returns (their output is discarded): host calls made by nondet leaders and validators.
/// </summary>
internal sealed class WireContract
{
    private const int OutputStart = 16400;
    private const int DataStart = 65536;
    private readonly List<string> _steps = [];
    private readonly List<string> _subVmSteps = [];
    private bool _inSubVms;
    private readonly List<(int Address, byte[] Octets)> _data = [];
    private int _next = DataStart;

    /// <summary>The script of the top-level VM (see the <c>Add</c> methods).</summary>
    public IReadOnlyList<string> Steps => _steps;

    /// <summary>The script every sub-VM runs before returning its entry data (see <see cref="InSubVms"/>).</summary>
    public IReadOnlyList<string> SubVmSteps => _subVmSteps;

    /// <summary>From now on the <c>Add</c> methods append to <see cref="SubVmSteps"/> instead of <see cref="Steps"/>.</summary>
    public WireContract InSubVms()
    {
        _inSubVms = true;
        return this;
    }

    /// <summary>Extra WAT module fields (more data segments, imports must not be repeated).</summary>
    public string ExtraFields { get; init; } = string.Empty;

    /// <summary>Appends a <c>gl_call</c> of the encoded request; on success the result file (if any) follows the errno.</summary>
    public WireContract GlCall(byte[] request) => Add($"(call $gl_call_step (i32.const {Place(request)}) (i32.const {request.Length}))");

    /// <summary>Appends a <c>gl_call</c> of the request given as hex.</summary>
    public WireContract GlCallHex(string hex) => GlCall(Core.Host.Hex.Parse(hex));

    /// <summary>Appends <c>storage_read(slot, index, len)</c>; on success the octets follow the errno.</summary>
    public WireContract StorageRead(byte[] slot, uint index, uint length)
        => Add($"(call $read_step (i32.const {Place(slot)}) (i32.const {(int)index}) (i32.const {(int)length}))");

    /// <summary>Appends <c>storage_write(slot, index, data)</c>.</summary>
    public WireContract StorageWrite(byte[] slot, uint index, byte[] data)
        => Add($"(call $errno (call $storage_write (i32.const {Place(slot)}) (i32.const {(int)index}) (i32.const {Place(data)}) (i32.const {data.Length})))");

    /// <summary>Appends <c>get_balance(address)</c>; on success the 32 octets follow the errno.</summary>
    public WireContract GetBalance(byte[] address) => Add($"(call $balance_step (i32.const {Place(address)}))");

    /// <summary>Appends <c>get_self_balance()</c>; on success the 32 octets follow the errno.</summary>
    public WireContract GetSelfBalance() => Add("(call $self_balance_step)");

    /// <summary>Appends arbitrary instructions (they run in <c>_start</c>'s body of the top-level VM).</summary>
    public WireContract Raw(string wat) => Add(wat);

    /// <summary>The WAT text.</summary>
    public string ToWat()
    {
        var data = string.Concat(_data.Select(d => $"\n  (data (i32.const {d.Address}) \"{Escape(d.Octets)}\")"));
        var leaf = string.Concat(_subVmSteps.Select(s => s + "\n    ")) + "(call $leaf)";
        var body = _steps.Count == 0 ? leaf : $"(if (i32.ne (call $is_main) (i32.const 2)) (then {leaf}))\n    {string.Join("\n    ", _steps)}\n    (call $finish)";
        return Template.Replace("{DATA}", data + ExtraFields, StringComparison.Ordinal).Replace("{BODY}", body, StringComparison.Ordinal)
            .Replace("{OUT}", OutputStart.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{READ_ALL}", WatSnippets.ReadAll, StringComparison.Ordinal);
    }

    /// <summary>The compiled module (wat2wasm, cached per text).</summary>
    public byte[] Compile() => WatCompiler.Compile(ToWat());

    private WireContract Add(string wat)
    {
        (_inSubVms ? _subVmSteps : _steps).Add(wat);
        return this;
    }

    private int Place(byte[] octets)
    {
        var address = _next;
        _data.Add((address, octets));
        _next += (octets.Length + 15) & ~7;
        return address;
    }

    private static string Escape(byte[] octets)
    {
        var text = new StringBuilder();
        foreach (var b in octets)
        {
            text.Append(CultureInfo.InvariantCulture, $"\\{b:x2}");
        }

        return text.ToString();
    }

    // Memory: 0 "{"Return":" prefix, 1024 iovec/fd scratch, 1048 a zero slot, 4096 the message (fd 0),
    // OUT the output (its Bytes header and the prefix go just below it), 65536 the script's data.
    private const string Template = """
        (module
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (import "genlayer_sdk" "gl_call" (func $gl_call (param i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "storage_read" (func $storage_read (param i32 i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "storage_write" (func $storage_write (param i32 i32 i32 i32) (result i32)))
          (import "genlayer_sdk" "get_balance" (func $get_balance (param i32 i32) (result i32)))
          (import "genlayer_sdk" "get_self_balance" (func $get_self_balance (param i32) (result i32)))
          (memory (export "memory") 4)
          (global $pos (mut i32) (i32.const {OUT}))
          (data (i32.const 0) "\0e\06Return")
          (data (i32.const 1100) "\0aentry_data"){DATA}
          {READ_ALL}
          ;; wasm-abi.md §3: in a sub-VM the mode or permission check (forbidden, 6) comes before the overflow check (inval, 2).
          (func $is_main (result i32)
            (call $storage_read (i32.const 1048) (i32.const -1) (i32.const 1048) (i32.const 2)))
          ;; {"Return": entry_data}: entry_data (fewer than 16 octets) follows the key "entry_data" in the message (§6).
          (func $leaf
            (local $len i32) (local $at i32) (local $n i32)
            (local.set $len (call $read_all (i32.const 0) (i32.const 4096)))
            (local.set $at (i32.const 4096))
            (block $found
              (loop $scan
                (if (i32.gt_u (i32.add (local.get $at) (i32.const 11)) (i32.add (i32.const 4096) (local.get $len))) (then unreachable))
                (br_if $found (i32.and
                  (i64.eq (i64.load (local.get $at)) (i64.load (i32.const 1100)))
                  (i32.eq (i32.load (i32.add (local.get $at) (i32.const 7))) (i32.load (i32.const 1107)))))
                (local.set $at (i32.add (local.get $at) (i32.const 1)))
                (br $scan)))
            (local.set $at (i32.add (local.get $at) (i32.const 11)))
            (local.set $n (i32.shr_u (i32.load8_u (local.get $at)) (i32.const 3)))
            (if (i32.ge_u (i32.load8_u (local.get $at)) (i32.const 128)) (then unreachable))
            (memory.copy (i32.sub (local.get $at) (i32.const 7)) (i32.const 0) (i32.const 8))
            (drop (call $gl_call (i32.sub (local.get $at) (i32.const 7)) (i32.add (local.get $n) (i32.const 8)) (i32.const 1040)))
            unreachable)
          (func $put8 (param $b i32)
            (i32.store8 (global.get $pos) (local.get $b))
            (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
          (func $put (param $src i32) (param $n i32)
            (memory.copy (global.get $pos) (local.get $src) (local.get $n))
            (global.set $pos (i32.add (global.get $pos) (local.get $n))))
          (func $errno (param $e i32) (call $put8 (local.get $e)))
          (func $gl_call_step (param $ptr i32) (param $len i32)
            (local $e i32) (local $fd i32)
            (local.set $e (call $gl_call (local.get $ptr) (local.get $len) (i32.const 1040)))
            (call $put8 (local.get $e))
            (if (local.get $e) (then return))
            (local.set $fd (i32.load (i32.const 1040)))
            (if (i32.eq (local.get $fd) (i32.const -1)) (then return))
            (global.set $pos (i32.add (global.get $pos) (call $read_all (local.get $fd) (global.get $pos))))
            (if (call $fd_close (local.get $fd)) (then unreachable)))
          (func $read_step (param $slot i32) (param $index i32) (param $n i32)
            (local $e i32)
            (local.set $e (call $storage_read (local.get $slot) (local.get $index) (i32.const 8192) (local.get $n)))
            (call $put8 (local.get $e))
            (if (i32.eqz (local.get $e)) (then (call $put (i32.const 8192) (local.get $n)))))
          (func $balance_step (param $address i32)
            (local $e i32)
            (local.set $e (call $get_balance (local.get $address) (i32.const 8192)))
            (call $put8 (local.get $e))
            (if (i32.eqz (local.get $e)) (then (call $put (i32.const 8192) (i32.const 32)))))
          (func $self_balance_step
            (local $e i32)
            (local.set $e (call $get_self_balance (i32.const 8192)))
            (call $put8 (local.get $e))
            (if (i32.eqz (local.get $e)) (then (call $put (i32.const 8192) (i32.const 32)))))
          ;; Return(Bytes(output)): the ULEB header (len·8+3, at most two octets) and the prefix go below OUT.
          (func $finish
            (local $len i32) (local $v i32) (local $start i32)
            (local.set $len (i32.sub (global.get $pos) (i32.const {OUT})))
            (local.set $v (i32.add (i32.shl (local.get $len) (i32.const 3)) (i32.const 3)))
            (if (i32.lt_u (local.get $v) (i32.const 128))
              (then
                (local.set $start (i32.const {OUT}))
                (local.set $start (i32.sub (local.get $start) (i32.const 1)))
                (i32.store8 (local.get $start) (local.get $v)))
              (else
                (if (i32.ge_u (local.get $v) (i32.const 16384)) (then unreachable))
                (local.set $start (i32.sub (i32.const {OUT}) (i32.const 2)))
                (i32.store8 (local.get $start) (i32.or (i32.and (local.get $v) (i32.const 127)) (i32.const 128)))
                (i32.store8 (i32.add (local.get $start) (i32.const 1)) (i32.shr_u (local.get $v) (i32.const 7)))))
            (local.set $start (i32.sub (local.get $start) (i32.const 8)))
            (memory.copy (local.get $start) (i32.const 0) (i32.const 8))
            (drop (call $gl_call (local.get $start) (i32.sub (global.get $pos) (local.get $start)) (i32.const 1040)))
            unreachable)
          (func (export "_start")
            {BODY}))
        """;
}
