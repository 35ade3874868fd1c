using System.Numerics;
using System.Text;
using System.Text.Json;
using GenVm.Core.Calldata;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace GenVm.Modules.Scripting;

/// <summary>
/// Moves data between the Lua stack and C# (modules.md §5.1 conversions). Only raw accesses are used, so no metamethod
/// (and no Lua error, which would unwind through managed frames) can run while C# reads or pushes.
/// </summary>
internal static class LuaValues
{
    private const int MaxDepth = 128;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Reads the value at <paramref name="index"/>; functions, userdata and threads become <see cref="LuaOpaque"/>.</summary>
    public static object? Read(LuaState lua, int index) => Read(lua, lua.AbsIndex(index), 0);

    private static object? Read(LuaState lua, int index, int depth)
    {
        switch (lua.Type(index))
        {
            case LuaType.None:
            case LuaType.Nil:
                return null;
            case LuaType.Boolean:
                return lua.ToBoolean(index);
            case LuaType.Number:
                return lua.IsInteger(index) ? (object)lua.ToInteger(index) : lua.ToNumber(index);
            case LuaType.String:
                return lua.ToBuffer(index, false) ?? [];
            case LuaType.LightUserData when lua.ToUserData(index) == IntPtr.Zero:
                return LuaNull.Instance;
            case LuaType.Table:
                return ReadTable(lua, index, depth);
            default:
                return new LuaOpaque(lua.TypeName(lua.Type(index)));
        }
    }

    private static LuaTableValue ReadTable(LuaState lua, int index, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new LuaScriptException("table nested too deeply (or cyclic)");
        }

        lua.CheckStack(4);
        var table = new LuaTableValue();
        lua.PushNil();
        while (lua.Next(index))
        {
            // Key at -2, value at -1. Keys are read by type only: converting a number key in place would break next().
            object? key = lua.Type(-2) switch
            {
                LuaType.String => Encoding.UTF8.GetString(lua.ToBuffer(-2, false) ?? []),
                LuaType.Number => lua.IsInteger(-2) ? (object)lua.ToInteger(-2) : lua.ToNumber(-2),
                LuaType.Boolean => lua.ToBoolean(-2),
                _ => null,
            };
            if (key is not null)
            {
                table.Add(key, Read(lua, lua.AbsIndex(-1), depth + 1));
            }

            lua.Pop(1);
        }

        return table;
    }

    /// <summary>Pushes C# data (see the switch for the accepted types).</summary>
    public static void Push(LuaState lua, object? value) => Push(lua, value, 0);

    private static void Push(LuaState lua, object? value, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new LuaScriptException("value nested too deeply");
        }

        lua.CheckStack(4);
        switch (value)
        {
            case null:
                lua.PushNil();
                break;
            case LuaNull:
                lua.PushLightUserData(IntPtr.Zero);
                break;
            case bool b:
                lua.PushBoolean(b);
                break;
            case int i:
                lua.PushInteger(i);
                break;
            case long l:
                lua.PushInteger(l);
                break;
            case ulong u when u <= long.MaxValue:
                lua.PushInteger((long)u);
                break;
            case double d:
                lua.PushNumber(d);
                break;
            case float f:
                lua.PushNumber(f);
                break;
            case string s:
                lua.PushBuffer(Encoding.UTF8.GetBytes(s));
                break;
            case byte[] bytes:
                lua.PushBuffer(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                lua.PushBuffer(memory.ToArray());
                break;
            case LuaTableValue table:
                lua.CreateTable(0, table.Count);
                foreach (var (k, v) in table.Entries)
                {
                    Push(lua, k, depth + 1);
                    Push(lua, v, depth + 1);
                    lua.RawSet(-3);
                }

                break;
            case CalldataValue calldata:
                Push(lua, FromCalldata(calldata), depth);
                break;
            case JsonElement element:
                Push(lua, LuaJson.FromElement(element), depth);
                break;
            default:
                throw new LuaScriptException($"cannot pass a {value.GetType().Name} to Lua");
        }
    }

    /// <summary>
    /// Calldata → Lua data: null is the <see cref="LuaNull"/> sentinel, strings and bytes are Lua strings, numbers
    /// integers (or floats past 64 bits), maps and arrays tables.
    /// </summary>
    public static object FromCalldata(CalldataValue value) => value switch
    {
        CalldataNull => LuaNull.Instance,
        CalldataBool b => b.Value,
        CalldataNumber n => n.Value >= long.MinValue && n.Value <= long.MaxValue ? (object)(long)n.Value : (double)n.Value,
        CalldataBytes b => b.Memory.ToArray(),
        CalldataString s => Encoding.UTF8.GetBytes(s.Value),
        CalldataAddress a => a.Value.ToArray(),
        CalldataArray a => LuaTableValue.FromList(a.Select(v => (object?)FromCalldata(v))),
        CalldataMap m => m.Aggregate(new LuaTableValue(), (t, e) => t.Add(e.Key, FromCalldata(e.Value))),
        _ => throw new LuaScriptException("unsupported calldata value"),
    };

    /// <summary>
    /// Lua data → a generic calldata value (modules.md §2.3 <c>GenericValue</c>): strings that are valid UTF-8 become
    /// strings, others bytes; an integral float an integer; a fractional or non-finite float fails like the reference's
    /// encoder (§2.2).
    /// </summary>
    /// <exception cref="LuaScriptException">A value calldata cannot carry.</exception>
    public static CalldataValue ToCalldata(object? value) => ToCalldata(value, 0);

    private static CalldataValue ToCalldata(object? value, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new LuaScriptException("value nested too deeply");
        }

        return value switch
        {
            null or LuaNull => CalldataValue.Null,
            bool b => CalldataValue.FromBool(b),
            long l => l,
            double d => FromDouble(d),
            byte[] bytes => TryUtf8(bytes) is { } s ? CalldataValue.FromString(s) : CalldataValue.FromBytes(bytes),
            string s => CalldataValue.FromString(s),
            LuaTableValue t when t.IsSequence => CalldataValue.FromArray(t.SequenceValues().Select(v => ToCalldata(v, depth + 1))),
            LuaTableValue t => CalldataValue.FromMap(t.Entries.Select(e => new KeyValuePair<string, CalldataValue>(KeyText(e.Key), ToCalldata(e.Value, depth + 1)))),
            LuaOpaque o => throw new LuaScriptException($"cannot serialize a Lua {o.TypeName}"),
            _ => throw new LuaScriptException($"cannot serialize {value.GetType().Name}"),
        };
    }

    /// <summary>A Lua string as UTF-8 text, or null when it is not valid UTF-8.</summary>
    public static string? TryUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static CalldataValue FromDouble(double d)
    {
        // modules.md §2.2: only integral floats within ±(2^53 − 1) are encodable.
        const double Limit = 9007199254740991;
        if (!double.IsFinite(d) || Math.Abs(d) > Limit)
        {
            throw new LuaScriptException("float out of range for serialization");
        }

        if (Math.Floor(d) != d)
        {
            throw new LuaScriptException("float has fractional part");
        }

        return new BigInteger(d);
    }

    private static string KeyText(object key) => key switch
    {
        string s => s,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => key.ToString() ?? "",
    };
}
