using System.Text;
using GenVm.Modules.Scripting;

namespace GenVm.Tests.Modules.Scripting;

/// <summary>
/// KeraLua embeds Lua 5.4 while the reference runs 5.3 (modules.md §5.1): the constructs module scripts use behave the
/// same in both. Each expected string is what Lua 5.3 prints.
/// </summary>
[TestFixture]
public sealed class LuaCompatibilityTests
{
    private static async Task<string> RunAsync(string body)
    {
        using var script = LuaTestScript.Write("function Run() " + body + " end");
        using var state = await script.CreateStateAsync();
        var result = await state.CallAsync("Run", [], LuaExecution.Anonymous(CancellationToken.None));
        return Encoding.UTF8.GetString((byte[])result!);
    }

    [Test]
    public async Task Version_IsLua54()
    {
        using var script = LuaTestScript.Write("x = 1");
        using var state = await script.CreateStateAsync();

        Assert.That(state.Version, Is.EqualTo(504));
    }

    [Test]
    public async Task GotoContinue_SkipsIterationsLikeLua53()
    {
        var text = await RunAsync("""
            local out = {}
            for i = 1, 6 do
              if i % 2 == 0 then goto continue end
              local doubled = i * 2
              out[#out + 1] = tostring(doubled)
              ::continue::
            end
            return table.concat(out, ",")
            """);

        Assert.That(text, Is.EqualTo("2,6,10"));
    }

    [TestCase("return tostring(7 // 2)", "3")]
    [TestCase("return tostring(-7 // 2)", "-4")]
    [TestCase("return tostring(7 // 2.0)", "3.0")]
    [TestCase("return tostring(7 / 2)", "3.5")]
    [TestCase("return tostring(6 / 2)", "3.0")]
    [TestCase("return tostring(-7 % 3)", "2")]
    [TestCase("return tostring(7.5 % 2)", "1.5")]
    [TestCase("return math.type(3) .. ' ' .. math.type(3.0) .. ' ' .. tostring(math.type('3'))", "integer float nil")]
    [TestCase("return tostring(math.floor(3.7)) .. ' ' .. math.type(math.floor(3.7))", "3 integer")]
    [TestCase("return tostring(0.0) .. ' ' .. tostring(0.6) .. ' ' .. tostring(-0.0)", "0.0 0.6 -0.0")]
    [TestCase("return tostring(1e15) .. ' ' .. tostring(2^53) .. ' ' .. tostring(10 // 0.0)", "1e+15 9.007199254741e+15 inf")]
    [TestCase("return string.format('%d %d %5.2f %s %s', 3, 3.0, 2.5, 1.5, 10)", "3 3  2.50 1.5 10")]
    [TestCase("return string.format('%x %q', 255, 'a\\nb')", "ff \"a\\\nb\"")]
    [TestCase("return tostring('10' + 1) .. ' ' .. tostring('3' * '4') .. ' ' .. tostring(10 == '10')", "11 12 false")]
    [TestCase("local t = {}; t[1.0] = 'a'; t[2] = 'b'; return t[1] .. t[2.0] .. #t", "ab2")]
    [TestCase("return tostring(math.maxinteger + 1 == math.mininteger) .. ' ' .. tostring(math.tointeger(5.0))", "true 5")]
    [TestCase("return (string.gsub('a%b', '%%', '%%%%'))", "a%%b")]
    [TestCase("return (string.gsub('x #{v} y', '#{v}', (string.gsub('100%', '%%', '%%%%'))))", "x 100% y")]
    [TestCase("return select('#', table.unpack({1, nil, 3}, 1, 3)) .. ' ' .. table.pack(1, 2).n", "3 2")]
    [TestCase("return tostring(3 | 5) .. ' ' .. tostring(6 & 3) .. ' ' .. tostring(1 << 4) .. ' ' .. tostring(~0)", "7 2 16 -1")]
    public async Task Expression_Lua54_MatchesLua53(string body, string expected)
        => Assert.That(await RunAsync(body), Is.EqualTo(expected));

    [Test]
    public async Task StandardLibraries_AreThoseOfTheReference()
    {
        // modules.md §5.1: base, coroutine, table, io, string, math, package; not os, debug, utf8; no native loaders.
        var text = await RunAsync("""
            local names = {}
            for _, n in ipairs({ 'coroutine', 'table', 'io', 'string', 'math', 'package', 'os', 'debug', 'utf8' }) do
              names[#names + 1] = n .. '=' .. type(_G[n])
            end
            names[#names + 1] = 'loadlib=' .. type(package.loadlib)
            names[#names + 1] = 'cpath=' .. package.cpath
            return table.concat(names, ' ')
            """);

        Assert.That(text, Is.EqualTo("coroutine=table table=table io=table string=table math=table package=table os=nil debug=nil utf8=nil loadlib=nil cpath="));
    }
}
