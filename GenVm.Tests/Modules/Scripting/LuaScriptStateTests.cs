using System.Net;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Modules.Scripting;
using GenVm.Tests.Modules.Llm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenVm.Tests.Modules.Scripting;

/// <summary>Entry calls, host functions (modules.md §5.2), errors (§5.6), require through lua_path, the pool.</summary>
[TestFixture]
public sealed class LuaScriptStateTests
{
    private static LuaExecution Anonymous => LuaExecution.Anonymous(CancellationToken.None);

    private static LuaBindings Defaults(ILogger? logger = null, ScriptHttpOptions? options = null)
    {
        options ??= new ScriptHttpOptions();
        var http = new ScriptHttp(new HttpMessageInvoker(ScriptHttp.CreateHandler(options)), options, null, TimeProvider.System);
        return new DefaultHostFunctions(logger ?? NullLogger.Instance, TimeProvider.System, http).AddTo(new LuaBindings());
    }

    private static string Text(object? value) => Encoding.UTF8.GetString((byte[])value!);

    [Test]
    public async Task HostFunctions_EverySyncFunction_BehavesAsSpecified()
    {
        using var script = LuaTestScript.Write("""
            local rs = __dflt
            function Run()
              local out = {}
              out[#out + 1] = rs.base64_encode("hi\0\255")
              out[#out + 1] = rs.base64_decode("aGk=")
              out[#out + 1] = rs.json_stringify({ b = { true, "x", { n = 1 } } }) .. rs.json_stringify(1.5) .. rs.json_stringify({})
              local parsed = rs.json_parse('{"k": [1, 2, null, 4], "n": null, "s": "v", "f": 0.5}')
              out[#out + 1] = #parsed.k .. tostring(parsed.n) .. parsed.s .. tostring(parsed.f) .. math.type(parsed.k[1])
              local u = rs.split_url("https://Example.COM:8443/p?q")
              out[#out + 1] = u.schema .. "|" .. u.host .. "|" .. tostring(u.port)
              local d = rs.split_url("http://example.com/")
              out[#out + 1] = tostring(d.port) .. "|" .. tostring(rs.split_url("not a url"))
              out[#out + 1] = rs.url_encode("a b&c=d/é*-._~")
              out[#out + 1] = rs.filter_text("  \u{FF21}\u{200B}b \t c  ", { "NFKC", "RmZeroWidth", "NormalizeWS" })
              local png = "\x89PNG\r\n\x1a\n...."
              out[#out + 1] = tostring(rs.filter_image(png, {}) == png)
              rs.log_json({ level = "warning", message = "hello", extra = { 1, 2 } })
              return table.concat(out, "\n")
            end
            """);
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var state = await script.CreateStateAsync(Defaults(factory.CreateLogger("script")));

        var text = Text(await state.CallAsync("Run", [], Anonymous));

        Assert.That(text.Split('\n'), Is.EqualTo(new[]
        {
            "aGkA/w==",
            "hi",
            """{"b":[true,"x",{"n":1}]}1.5{}""",
            "2nilv0.5integer",
            "https|example.com|8443",
            "nil|nil",
            "a+b%26c%3Dd%2F%C3%A9*-._%7E",
            "Ab c",
            "true",
        }));
        Assert.That(logs.Lines, Has.Some.StartsWith("Warning 7100").And.Contains("script_log: hello").And.Contains("\"extra\":[1,2]"));
    }

    [Test]
    public async Task HostFunctions_DecodingFailures_AreFatalDeserializingErrors()
    {
        using var script = LuaTestScript.Write("""
            function Run(which)
              local ok, e = pcall(which == "json" and __dflt.json_parse or __dflt.base64_decode, "{{{")
              local u = __dflt.as_user_error(e)
              return u.causes[1] .. " " .. tostring(u.fatal) .. " " .. type(u.ctx.rust_error)
            end
            """);
        using var state = await script.CreateStateAsync(Defaults());

        Assert.That(Text(await state.CallAsync("Run", ["json"], Anonymous)), Is.EqualTo("DESERIALIZING true string"));
        Assert.That(Text(await state.CallAsync("Run", ["b64"], Anonymous)), Is.EqualTo("DESERIALIZING true string"));
    }

    [Test]
    public async Task UserError_CaughtAndReraised_KeepsCausesAndContext()
    {
        using var script = LuaTestScript.Write("""
            local lib = require("lib-genvm")
            function Run()
              local ok, e = pcall(lib.rs.user_error, { causes = { "A", "B" }, fatal = true, ctx = { n = 1 } })
              assert(not ok)
              local u = lib.rs.as_user_error(e)
              assert(u.causes[2] == "B" and u.fatal == true and u.ctx.n == 1)
              assert(lib.rs.as_user_error("plain") == nil)
              lib.reraise_with_fatality(e, false)
            end
            """);
        using var state = await script.CreateStateAsync(Defaults());

        var e = await Assert.ThrowsAsync<LuaModuleError>(() => state.CallAsync("Run", [], Anonymous));

        Assert.That(e!.Causes, Is.EqualTo(new[] { "A", "B" }));
        Assert.That(e.Fatal, Is.False);
        Assert.That(e.Message, Is.EqualTo("A, B: {\"n\":1}"));
    }

    [TestCase("local x = nil; return x.field", "attempt to index")]
    [TestCase("error('boom')", "boom")]
    [TestCase("error({ not_a_module_error = true })", "error object is a table value")]
    [TestCase("return __dflt.filter_text('x', { 'Nope' })", "unknown text filter `Nope`")]
    [TestCase("__dflt.user_error({ causes = {} })", "user_error: expected a table")]
    [TestCase("coroutine.yield(1)", "yielded outside a coroutine")]
    [TestCase("return string.rep('x', 10, 5, 9) .. nil", "attempt to concatenate")]
    public async Task CallAsync_ScriptFailure_IsLuaScriptExceptionAndStateStaysUsable(string body, string message)
    {
        using var script = LuaTestScript.Write("function Fail() " + body + " end\nfunction Ok() return 'still fine' end");
        using var state = await script.CreateStateAsync(Defaults());

        var e = await Assert.ThrowsAsync<LuaScriptException>(() => state.CallAsync("Fail", [], Anonymous));

        Assert.That(e!.Message, Does.Contain(message));
        Assert.That(Text(await state.CallAsync("Ok", [], Anonymous)), Is.EqualTo("still fine"));
    }

    [TestCase("function Broken( end", "expected")]
    [TestCase("error('load time failure')", "load time failure")]
    [TestCase("require('no-such-library')", "no-such-library")]
    public async Task CreateAsync_BrokenScript_ThrowsLuaScriptException(string main, string message)
    {
        using var script = LuaTestScript.Write(main);

        var e = await Assert.ThrowsAsync<LuaScriptException>(() => script.CreateStateAsync(Defaults()));

        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public async Task Require_LuaPathLibrary_WinsOverEmbeddedOne()
    {
        using var script = LuaTestScript.Write(
            """
            local mine = require("mylib")
            local genvm = require("lib-genvm")
            function Run() return mine.name .. " " .. genvm.name end
            """,
            ("mylib", "return { name = 'from lua_path' }"),
            ("lib-genvm", "return { name = 'operator lib-genvm' }"));
        using var state = await script.CreateStateAsync(Defaults());

        Assert.That(Text(await state.CallAsync("Run", [], Anonymous)), Is.EqualTo("from lua_path operator lib-genvm"));
    }

    [Test]
    public async Task Require_WithoutLuaPath_FindsEmbeddedLibraries()
    {
        using var script = LuaTestScript.Write("""
            local genvm = require("lib-genvm")
            function Run() return genvm.get_first_from_table({ only = 1 }).key end
            """);
        var source = script.Source with { LuaPath = "" };
        using var state = await LuaScriptState.CreateAsync(source, Defaults(), CancellationToken.None);

        Assert.That(Text(await state.CallAsync("Run", [], Anonymous)), Is.EqualTo("only"));
    }

    [Test]
    public async Task AsyncHostFunction_InsideScriptCoroutine_IsForwarded()
    {
        var gate = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bindings = new LuaBindings().Function("__t", "wait", async _ => await gate.Task);
        using var script = LuaTestScript.Write("""
            function Run()
              local gen = coroutine.wrap(function()
                coroutine.yield("first")
                local v = __t.wait()
                coroutine.yield("got " .. v)
              end)
              local a = gen()
              local b = gen()
              local co = coroutine.create(function() return __t.wait() end)
              local ok, c = coroutine.resume(co)
              return a .. "," .. b .. "," .. tostring(ok) .. c
            end
            """);
        using var state = await script.CreateStateAsync(bindings);

        var call = state.CallAsync("Run", [], Anonymous);
        Assert.That(call.IsCompleted, Is.False);
        gate.SetResult("x");

        Assert.That(Text(await call), Is.EqualTo("first,got x,truex"));
    }

    [Test]
    public async Task CallAsync_EndlessLoop_IsInterruptedByCancellation()
    {
        using var cts = new CancellationTokenSource();
        var bindings = new LuaBindings().Function("__t", "started", _ =>
        {
            cts.Cancel();
            return null;
        });
        using var script = LuaTestScript.Write("function Spin() __t.started() while true do end end");
        using var state = await script.CreateStateAsync(bindings);

        Assert.That(
            () => state.CallAsync("Spin", [], LuaExecution.Anonymous(cts.Token)),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(state.IsReusable, Is.False);
    }

    [Test]
    public async Task Pool_OneState_SecondExecutionWaitsForTheFirst()
    {
        var gate = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        var bindings = new LuaBindings().Function("__t", "enter", async _ =>
        {
            Interlocked.Increment(ref entered);
            return await gate.Task;
        });
        using var script = LuaTestScript.Write("function Run(ctx) ctx.mark = (ctx.mark or 0) + 1; return __t.enter() .. ctx.mark end");
        await using var pool = new LuaStatePool(script.Source, bindings, 1);

        var first = pool.CallAsync("Run", [new LuaTableValue()], Anonymous);
        var second = pool.CallAsync("Run", [new LuaTableValue()], Anonymous);
        Assert.That(Volatile.Read(ref entered), Is.EqualTo(1));
        Assert.That(second.IsCompleted, Is.False);
        gate.SetResult("r");

        Assert.That(Text(await first), Is.EqualTo("r1"));
        Assert.That(Text(await second), Is.EqualTo("r1"));
        Assert.That(Volatile.Read(ref entered), Is.EqualTo(2));
        Assert.That(pool.Created, Is.EqualTo(1));
    }

    [Test]
    [Category("Network")]
    public async Task Request_LocalServer_ReturnsStatusHeadersBodyAndFollowsRedirect()
    {
        await using var server = await StartServerAsync(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/redirect":
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = "/echo?x=1";
                    return;
                case "/json":
                    context.Response.StatusCode = 503;
                    await context.Response.WriteAsync("{\"busy\": true}");
                    return;
                default:
                    context.Response.Headers["X-Method"] = context.Request.Method;
                    context.Response.Headers["X-Header"] = context.Request.Headers["x-test"].ToString();
                    await context.Response.WriteAsync("echo " + context.Request.QueryString.Value);
                    return;
            }
        });
        using var script = LuaTestScript.Write("""
            function Run(base)
              local r = __dflt.request({}, { method = "GET", url = base .. "/redirect", headers = { ["x-test"] = "v" } })
              local ok, e = pcall(__dflt.request, {}, { method = "GET", url = base .. "/json", headers = {}, json = true, error_on_status = true })
              local u = __dflt.as_user_error(e)
              local bad = __dflt.as_user_error(select(2, pcall(__dflt.request, {}, { method = "PUT", url = base, headers = {} })))
              return r.status .. " " .. r.headers["x-method"] .. " " .. r.headers["x-header"] .. " " .. r.body .. " | "
                .. u.causes[1] .. " " .. u.ctx.status .. " " .. tostring(u.ctx.body.busy) .. " | " .. bad.causes[1]
            end
            """);
        using var state = await script.CreateStateAsync(Defaults());

        var text = Text(await state.CallAsync("Run", [server.Url], Anonymous));

        Assert.That(text, Is.EqualTo("200 GET v echo ?x=1 | STATUS_NOT_OK 503 true | DESERIALIZING"));
    }

    [Test]
    [Category("Network")]
    public async Task Request_BodyOverLimitAndTimeout_AreModuleErrors()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartServerAsync(async context =>
        {
            if (context.Request.Path.Value == "/slow")
            {
                await hold.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsync(new string('x', 5000));
        });
        using var script = LuaTestScript.Write("""
            function Run(path)
              local ok, e = pcall(__dflt.request, {}, { method = "GET", url = path, headers = {} })
              local u = __dflt.as_user_error(e)
              return u.causes[1] .. ": " .. tostring(u.ctx.rust_error)
            end
            """);
        using var limited = await script.CreateStateAsync(Defaults(options: new ScriptHttpOptions { MaxResponseBytes = 1000 }));
        using var impatient = await script.CreateStateAsync(Defaults(options: new ScriptHttpOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.That(Text(await limited.CallAsync("Run", [server.Url + "/big"], Anonymous)), Does.StartWith("READING_BODY: response body").And.Contain("1000"));
        Assert.That(Text(await impatient.CallAsync("Run", [server.Url + "/slow"], Anonymous)), Does.StartWith("SENDING_REQUEST: request timed out"));
        hold.SetResult();
    }

    internal static async Task<TestSite> StartServerAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return new TestSite(app, app.Urls.Single().TrimEnd('/'));
    }

    internal sealed class TestSite(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url { get; } = url;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
