using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace GenVm.Modules.Scripting;

/// <summary>
/// The <c>__dflt</c> host functions both modules share (modules.md §5.2). <c>user_error</c> and <c>as_user_error</c>
/// live in Lua (<c>prelude.lua</c>) because they only handle marked tables.
/// </summary>
internal sealed partial class DefaultHostFunctions
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ScriptHttp _http;

    public DefaultHostFunctions(ILogger logger, TimeProvider time, ScriptHttp http)
    {
        _logger = logger;
        _time = time;
        _http = http;
    }

    /// <summary>Adds every <c>__dflt</c> function to <paramref name="bindings"/>.</summary>
    public LuaBindings AddTo(LuaBindings bindings)
        => bindings
            .Function("__dflt", "log_json", LogJson)
            .Function("__dflt", "sleep_seconds", SleepAsync)
            .Function("__dflt", "base64_encode", c => Encoding.ASCII.GetBytes(Convert.ToBase64String(c.BytesArg(0))))
            .Function("__dflt", "base64_decode", Base64Decode)
            .Function("__dflt", "json_parse", JsonParse)
            .Function("__dflt", "json_stringify", c => LuaJson.Stringify(c.Arg(0)))
            .Function("__dflt", "split_url", SplitUrl)
            .Function("__dflt", "url_encode", c => UrlEncode(c.BytesArg(0)))
            .Function("__dflt", "filter_text", FilterText)
            .Function("__dflt", "filter_image", c => ImageFilters.Apply(c.BytesArg(0), c.Arg(1) as LuaTableValue))
            .Function("__dflt", "request", _http.RequestAsync);

    /// <summary><c>url_encode</c>: form encoding of bytes (letters, digits, <c>*-._</c> kept, space → <c>+</c>).</summary>
    public static string UrlEncode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
            {
                text.Append((char)b);
            }
            else if (b == ' ')
            {
                text.Append('+');
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private object? LogJson(LuaHostCall call)
    {
        var table = call.Arg(0) as LuaTableValue ?? new LuaTableValue().Add("message", call.Arg(0));
        var level = (table.GetString("level") ?? "info").ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        };
        var message = table["message"] switch
        {
            byte[] b => Encoding.UTF8.GetString(b),
            null => "<none>",
            var other => LuaJson.Stringify(other),
        };
        var rest = new LuaTableValue();
        foreach (var (k, v) in table.Entries)
        {
            if (k is not ("level" or "message"))
            {
                rest.Add(k, v);
            }
        }

        Log.Script(_logger, level, message, call.Execution.Cookie, LuaJson.Stringify(rest));
        return null;
    }

    private async ValueTask<object?> SleepAsync(LuaHostCall call)
    {
        var seconds = call.Arg(0) switch
        {
            long l => l,
            double d => d,
            _ => throw new LuaScriptException("sleep_seconds: argument must be a number"),
        };
        if (seconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, 3600)), _time, call.Execution.CancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static object? Base64Decode(LuaHostCall call)
    {
        try
        {
            return Convert.FromBase64String(Encoding.ASCII.GetString(call.BytesArg(0)));
        }
        catch (FormatException e)
        {
            throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", e.Message));
        }
    }

    private static object? JsonParse(LuaHostCall call)
    {
        try
        {
            return LuaJson.Parse(call.BytesArg(0));
        }
        catch (JsonException e)
        {
            throw LuaModuleError.Create("DESERIALIZING", true, ("rust_error", e.Message));
        }
    }

    private static object? SplitUrl(LuaHostCall call)
    {
        if (LuaValues.TryUtf8(call.BytesArg(0)) is not { } text || !Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return null;
        }

        var table = new LuaTableValue().Add("schema", url.Scheme).Add("host", url.IsUnc || url.IsFile ? "" : url.IdnHost);
        if (!url.IsDefaultPort && url.Port >= 0)
        {
            table.Add("port", (long)url.Port);
        }

        return table;
    }

    private static object? FilterText(LuaHostCall call)
    {
        var names = (call.Arg(1) as LuaTableValue)?.IsSequence == true
            ? ((LuaTableValue)call.Arg(1)!).SequenceValues().Select(v => v is byte[] b ? Encoding.UTF8.GetString(b) : "").ToList()
            : [];
        try
        {
            return TextFilters.Apply(call.StringArg(0), names);
        }
        catch (ArgumentException e)
        {
            throw new LuaScriptException("filter_text: " + e.Message, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7100, Message = "script_log: {Message} (cookie {Cookie}) {Log}")]
        public static partial void Script(ILogger logger, LogLevel level, string message, string cookie, string log);
    }
}
