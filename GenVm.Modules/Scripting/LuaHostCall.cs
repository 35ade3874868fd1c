namespace GenVm.Modules.Scripting;

/// <summary>One call of a host function from Lua: its arguments (read as data) and the running execution.</summary>
/// <param name="Name">The function name (for error texts).</param>
/// <param name="Arguments">Arguments, read with <see cref="LuaValues.Read"/>.</param>
/// <param name="Execution">The execution the state is running.</param>
internal sealed record LuaHostCall(string Name, IReadOnlyList<object?> Arguments, LuaExecution Execution)
{
    /// <summary>Argument <paramref name="index"/> (0-based), or null when absent.</summary>
    public object? Arg(int index) => index < Arguments.Count ? Arguments[index] : null;

    /// <summary>A table argument, or a <see cref="LuaScriptException"/>.</summary>
    public LuaTableValue TableArg(int index)
        => Arg(index) as LuaTableValue ?? throw new LuaScriptException($"{Name}: argument {index + 1} must be a table");

    /// <summary>A string argument as bytes (numbers are converted like Lua does), or a <see cref="LuaScriptException"/>.</summary>
    public byte[] BytesArg(int index) => Arg(index) switch
    {
        byte[] b => b,
        long l => System.Text.Encoding.ASCII.GetBytes(l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        double d => System.Text.Encoding.ASCII.GetBytes(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new LuaScriptException($"{Name}: argument {index + 1} must be a string"),
    };

    /// <summary>A string argument as UTF-8 text, or a <see cref="LuaScriptException"/>.</summary>
    public string StringArg(int index)
        => LuaValues.TryUtf8(BytesArg(index)) ?? throw new LuaScriptException($"{Name}: argument {index + 1} is not valid UTF-8");
}
