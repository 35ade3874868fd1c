using System.Text;
using GenVm.Core.Calldata;
using GenVm.Modules.Scripting;

namespace GenVm.Tests.Modules.Scripting;

/// <summary>Data crossing the C#/Lua boundary (modules.md §5.1 conversions).</summary>
[TestFixture]
public sealed class LuaValuesTests
{
    [Test]
    public async Task CallAsync_NestedTablesAndBytes_RoundTrip()
    {
        using var script = LuaTestScript.Write("function Echo(x) return x end");
        using var state = await script.CreateStateAsync();
        var input = new LuaTableValue()
            .Add("list", LuaTableValue.FromList([1L, 2.5, "s", new byte[] { 0, 255 }, true]))
            .Add("map", new LuaTableValue().Add("k", "v"));

        var output = await state.CallAsync("Echo", [input], LuaExecution.Anonymous(CancellationToken.None));

        var table = (LuaTableValue)output!;
        var list = ((LuaTableValue)table["list"]!).SequenceValues();
        Assert.That(list[0], Is.EqualTo(1L));
        Assert.That(list[1], Is.EqualTo(2.5));
        Assert.That(list[2], Is.EqualTo(Encoding.UTF8.GetBytes("s")));
        Assert.That(list[3], Is.EqualTo(new byte[] { 0, 255 }));
        Assert.That(list[4], Is.EqualTo(true));
        Assert.That(((LuaTableValue)table["map"]!).GetString("k"), Is.EqualTo("v"));
        Assert.That(() => LuaValues.ToCalldata(output), Throws.InstanceOf<LuaScriptException>().With.Message.EqualTo("float has fractional part"));
    }

    [Test]
    public async Task CallAsync_CalldataPayload_NullIsSentinelAndAnswerConverts()
    {
        using var script = LuaTestScript.Write("""
            function Check(p)
              assert(p.body ~= nil and p.body == __dflt.null, "absent optional field is the null sentinel")
              assert(math.type(p.n) == "integer" and p.n == 7)
              return { text = p.s .. "!", ints = { 1, 2.0, -3 }, bytes = "\xff" }
            end
            __dflt = __dflt or {}
            """);
        var bindings = new LuaBindings().Value("__dflt", "null", () => LuaNull.Instance);
        using var state = await script.CreateStateAsync(bindings);
        var payload = CalldataValue.FromMap(("body", CalldataValue.Null), ("n", 7), ("s", "hi"));

        var output = await state.CallAsync("Check", [payload], LuaExecution.Anonymous(CancellationToken.None));

        Assert.That(LuaValues.ToCalldata(output), Is.EqualTo(CalldataValue.FromMap(
            ("bytes", CalldataValue.FromBytes([0xFF])),
            ("ints", CalldataValue.FromArray(1, 2, -3)),
            ("text", "hi!"))));
    }
}
