using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Compilation;

/// <summary>
/// Calls record the calling instance for host functions only when it changed (FunctionCompiler.EmitSetCaller): after
/// another instance ran a host call, the first instance's next host call, direct or through a table, must see itself.
/// </summary>
[TestFixture]
public sealed class CallerContextTests
{
    [Test]
    public void HostCall_AfterAnotherInstanceCalledTheHost_SeesTheCallingInstance()
    {
        using var store = new Store(new Engine());
        var seen = new List<Instance?>();
        var linker = new Linker(store.Engine);
        linker.DefineFunction("env", "who", new FuncType(Array.Empty<ValueKind>(), Array.Empty<ValueKind>()), (caller, _, _) => seen.Add(caller.Instance));
        var b = WatCompiler.Instantiate(store, """
            (module (import "env" "who" (func $who))
              (func (export "b") (call $who)))
            """, linker);
        linker.DefineInstance("b", b);
        var a = WatCompiler.Instantiate(store, """
            (module (import "env" "who" (func $who)) (import "b" "b" (func $b))
              (type $v (func))
              (table funcref (elem $who $b))
              (func (export "a")
                (call $who)
                (call $b)
                (call $who)
                (call_indirect (type $v) (i32.const 1))
                (call_indirect (type $v) (i32.const 0))
                (call $b)
                (call $who)))
            """, linker);
        a.GetFunction("a")!.Invoke();
        Assert.That(seen, Has.Count.EqualTo(7));
        var expected = new[] { a, b, a, b, a, b, a };
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(seen[i], Is.SameAs(expected[i]), $"host call {i}");
        }
    }
}
