namespace GenVm.Tests.Core.Supervisor;

/// <summary>WAT functions the hand-written test contracts share (inserted into their module text).</summary>
internal static class WatSnippets
{
    /// <summary>
    /// <c>$read_all(fd, dst) -> len</c>: reads a descriptor to its end into <c>dst</c> through WASI <c>fd_read</c> (which must
    /// be imported as <c>$fd_read</c>); uses bytes 1024..1035 as its iovec and count. A read error traps.
    /// </summary>
    public const string ReadAll = """
        (func $read_all (param $fd i32) (param $dst i32) (result i32)
          (local $total i32) (local $n i32)
          (block $done
            (loop $more
              (i32.store (i32.const 1024) (i32.add (local.get $dst) (local.get $total)))
              (i32.store (i32.const 1028) (i32.const 65536))
              (if (call $fd_read (local.get $fd) (i32.const 1024) (i32.const 1) (i32.const 1032)) (then unreachable))
              (local.set $n (i32.load (i32.const 1032)))
              (br_if $done (i32.eqz (local.get $n)))
              (local.set $total (i32.add (local.get $total) (local.get $n)))
              (br $more)))
          (local.get $total))
        """;
}
