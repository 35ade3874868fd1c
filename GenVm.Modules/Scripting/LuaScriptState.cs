using System.Text;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace GenVm.Modules.Scripting;

/// <summary>
/// One Lua 5.4 state (KeraLua) with a module's globals and main script loaded (modules.md §5.1). It runs one entry call
/// at a time, each in a fresh coroutine: a host function that has to wait (HTTP, provider call, sleep) suspends the
/// coroutine and <see cref="CallAsync"/> awaits the task, so no thread blocks on I/O.
/// </summary>
/// <remarks>
/// No Lua error is ever raised from a C# frame (a longjmp through managed frames is undefined behaviour): host
/// functions return a status and the Lua wrapper in <c>prelude.lua</c> raises. Interrupts (cancellation) use a count
/// hook that yields, which Lua allows from hooks without unwinding.
/// </remarks>
internal sealed class LuaScriptState : IDisposable
{
    private const int StatusOk = 1;
    private const int StatusError = 2;
    private const int StatusPending = 3;
    private const int StatusModuleError = 4;
    private const int HookInstructionCount = 10_000;

    // Light userdata that tags "waiting for a host task" yields (any non-null pointer value works as a tag).
    private static readonly IntPtr AsyncTag = new(0x6E56_4D47);

    private readonly LuaState _lua;
    private readonly Dictionary<string, LuaHostFunction> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Task<object?>> _pending = [];
    private readonly LuaFunction _rawCall;
    private readonly LuaFunction _rawEmbedded;
    private readonly LuaFunction _rawHookPending;
    private readonly LuaHookFunction _hook;
    private int _moduleErrorRef;
    private long _nextHandle;
    private bool _hookYield;
    private LuaExecution? _current;
    private bool _disposed;

    private LuaScriptState()
    {
        _lua = new LuaState(openLibs: false);
        _rawCall = RawCall;
        _rawEmbedded = RawEmbedded;
        _rawHookPending = RawHookPending;
        _hook = Hook;
    }

    /// <summary>Lua's version number (504 for 5.4).</summary>
    public double Version => _lua.Version();

    /// <summary>False once an entry call was abandoned half-way (cancellation); the pool then drops the state.</summary>
    public bool IsReusable { get; private set; } = true;

    /// <summary>
    /// Creates a state: standard libraries of §5.1 (base, coroutine, table, io, string, math, package; not os, debug,
    /// utf8), <c>package.path</c> = <c>lua_path</c>, the bindings, then runs the main script once.
    /// </summary>
    /// <exception cref="LuaScriptException">The script cannot be read, does not compile or fails while loading.</exception>
    public static async Task<LuaScriptState> CreateAsync(LuaScriptSource source, LuaBindings bindings, CancellationToken cancellationToken)
    {
        var state = new LuaScriptState();
        try
        {
            await state.InitializeAsync(source, bindings, cancellationToken).ConfigureAwait(false);
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    private async Task InitializeAsync(LuaScriptSource source, LuaBindings bindings, CancellationToken cancellationToken)
    {
        var lua = _lua;
        lua.OpenBasicLibrary();
        lua.OpenCoroutineLibrary();
        lua.OpenTableLibrary();
        lua.OpenIOLibrary();
        lua.OpenStringLibrary();
        lua.OpenMathLibrary();
        lua.OpenPackageLibrary();
        lua.SetTop(0);
        lua.SetHook(_hook, LuaHookMask.Count, HookInstructionCount);

        lua.GetGlobal("package");
        lua.PushBuffer(Encoding.UTF8.GetBytes(source.LuaPath));
        lua.SetField(-2, "path");
        lua.Pop(1);

        // prelude.lua returns the module-error metatable and the wrapper factory.
        var prelude = LuaScriptSource.Embedded("prelude.lua") ?? throw new LuaScriptException("embedded prelude.lua missing");
        if (lua.LoadBuffer(prelude, "=prelude.lua") != LuaStatus.OK)
        {
            throw new LuaScriptException("prelude: " + lua.ToString(-1, false));
        }

        lua.PushCFunction(_rawCall);
        lua.PushLightUserData(AsyncTag);
        lua.PushCFunction(_rawEmbedded);
        lua.PushCFunction(_rawHookPending);
        if (lua.PCall(4, 2, 0) != LuaStatus.OK)
        {
            throw new LuaScriptException("prelude: " + lua.ToString(-1, false));
        }

        var factory = lua.AbsIndex(-1);
        lua.PushCopy(-2);
        _moduleErrorRef = lua.Ref(LuaRegistry.Index);

        var tables = bindings.Functions.Select(f => f.Table).Concat(bindings.Values.Select(v => v.Table)).Append("__dflt").Distinct();
        foreach (var table in tables)
        {
            lua.NewTable();
            lua.SetGlobal(table);
        }

        // user_error / as_user_error are Lua (they work on the marked tables); every other function is a host wrapper.
        lua.GetGlobal("__dflt");
        foreach (var name in new[] { "user_error", "as_user_error" })
        {
            lua.GetField(factory, name);
            lua.SetField(-2, name);
        }

        lua.Pop(1);
        foreach (var (table, name, function) in bindings.Functions)
        {
            var key = table + "." + name;
            _functions[key] = function;
            lua.GetGlobal(table);
            lua.GetField(factory, "host");
            lua.PushBuffer(Encoding.UTF8.GetBytes(key));
            if (lua.PCall(1, 1, 0) != LuaStatus.OK)
            {
                throw new LuaScriptException("binding " + key + ": " + lua.ToString(-1, false));
            }

            lua.SetField(-2, name);
            lua.Pop(1);
        }

        foreach (var (table, name, value) in bindings.Values)
        {
            lua.GetGlobal(table);
            LuaValues.Push(lua, value());
            lua.SetField(-2, name);
            lua.Pop(1);
        }

        lua.SetTop(0);

        // The main script runs once (it defines the entry points and may log), inside a coroutine like any call.
        var (chunkName, text) = source.LoadMain();
        if (lua.LoadBuffer(text, chunkName, "t") != LuaStatus.OK)
        {
            throw new LuaScriptException(lua.ToString(-1, false) ?? "loading the script failed");
        }

        var chunkRef = lua.Ref(LuaRegistry.Index);
        try
        {
            await RunAsync(
                thread =>
                {
                    thread.RawGetInteger(LuaRegistry.Index, chunkRef);
                    return 0;
                },
                LuaExecution.Anonymous(cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            lua.Unref(LuaRegistry.Index, chunkRef);
        }
    }

    /// <summary>
    /// Calls global function <paramref name="entry"/> with <paramref name="arguments"/> (pushed as data) and returns its
    /// first result as data.
    /// </summary>
    /// <exception cref="LuaModuleError">The script ended with a module error (fatal or not).</exception>
    /// <exception cref="LuaScriptException">Any other script failure.</exception>
    /// <exception cref="OperationCanceledException">The execution was cancelled.</exception>
    public Task<object?> CallAsync(string entry, IReadOnlyList<object?> arguments, LuaExecution execution)
        => RunAsync(
            thread =>
            {
                if (thread.GetGlobal(entry) != LuaType.Function)
                {
                    throw new LuaScriptException($"the script does not define function {entry}");
                }

                foreach (var argument in arguments)
                {
                    LuaValues.Push(thread, argument);
                }

                return arguments.Count;
            },
            execution);

    private async Task<object?> RunAsync(Func<LuaState, int> pushFunctionAndArguments, LuaExecution execution)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is not null)
        {
            throw new InvalidOperationException("a Lua state runs one call at a time");
        }

        _current = execution;
        var thread = _lua.NewThread();
        var threadRef = _lua.Ref(LuaRegistry.Index);
        var finished = false;
        try
        {
            var arguments = pushFunctionAndArguments(thread);
            while (true)
            {
                var status = thread.Resume(_lua, arguments, out var results);
                if (status == LuaStatus.OK)
                {
                    var value = results > 0 ? LuaValues.Read(thread, -results) : null;
                    thread.SetTop(0);
                    finished = true;
                    return value;
                }

                if (status != LuaStatus.Yield)
                {
                    var error = ReadError(thread);
                    finished = true;
                    throw error;
                }

                if (_hookYield)
                {
                    // Only an interrupt request yields from the hook.
                    _hookYield = false;
                    thread.SetTop(0);
                    execution.CancellationToken.ThrowIfCancellationRequested();
                    arguments = 0;
                    continue;
                }

                if (results != 2 || thread.Type(-2) != LuaType.LightUserData || thread.ToUserData(-2) != AsyncTag)
                {
                    throw new LuaScriptException("the script yielded outside a coroutine");
                }

                var handle = thread.ToInteger(-1);
                thread.Pop(results);
                if (!_pending.Remove(handle, out var task))
                {
                    throw new LuaScriptException("unknown host task");
                }

                int resumeStatus;
                object? resumeValue;
                try
                {
                    resumeValue = await task.ConfigureAwait(false);
                    resumeStatus = StatusOk;
                }
                catch (OperationCanceledException) when (execution.CancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    (resumeStatus, resumeValue) = Classify(e);
                }

                thread.PushInteger(resumeStatus);
                LuaValues.Push(thread, resumeValue);
                arguments = 2;
            }
        }
        finally
        {
            _lua.Unref(LuaRegistry.Index, threadRef);
            _pending.Clear();
            _current = null;
            _hookYield = false;
            if (!finished)
            {
                // The coroutine was abandoned mid-way; the state itself is intact, but a host task may still be running
                // with this state's context, so the pool retires it.
                IsReusable = false;
            }
        }
    }

    private Exception ReadError(LuaState thread)
    {
        if (thread.Type(-1) == LuaType.Table && thread.GetMetaTable(-1))
        {
            thread.RawGetInteger(LuaRegistry.Index, _moduleErrorRef);
            var marked = thread.RawEqual(-1, -2);
            thread.Pop(2);
            if (marked && LuaValues.Read(thread, -1) is LuaTableValue table)
            {
                return ToModuleError(table);
            }
        }

        var value = LuaValues.Read(thread, -1);
        return new LuaScriptException(value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            long or double or bool => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
            null => "nil error",
            _ => "error object is a " + (value is LuaOpaque o ? o.TypeName : "table") + " value",
        });
    }

    private static LuaModuleError ToModuleError(LuaTableValue table)
    {
        var causes = table["causes"] is LuaTableValue c
            ? c.Entries.OrderBy(e => e.Key is long l ? l : long.MaxValue).Select(e => e.Value is byte[] b ? Encoding.UTF8.GetString(b) : Convert.ToString(e.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList()
            : [];
        return new LuaModuleError(causes, table["fatal"] is true, table["ctx"] as LuaTableValue);
    }

    private static (int Status, object? Value) Classify(Exception e) => e switch
    {
        LuaModuleError m => (StatusModuleError, new LuaTableValue()
            .Add("causes", LuaTableValue.FromList(m.Causes))
            .Add("fatal", m.Fatal)
            .Add("ctx", m.Context)),
        _ => (StatusError, e.Message),
    };

    private int RawCall(IntPtr state)
    {
        var lua = LuaState.FromIntPtr(state);
        try
        {
            var count = lua.GetTop();
            var name = lua.Type(1) == LuaType.String ? lua.ToString(1, false) : null;
            if (name is null || !_functions.TryGetValue(name, out var function) || _current is null)
            {
                return Answer(lua, StatusError, "unknown host function");
            }

            var arguments = new object?[count - 1];
            for (var i = 2; i <= count; i++)
            {
                arguments[i - 2] = LuaValues.Read(lua, i);
            }

            ValueTask<object?> pending;
            try
            {
                pending = function(new LuaHostCall(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..], arguments, _current));
            }
            catch (Exception e)
            {
                var (status, value) = Classify(e);
                return Answer(lua, status, value);
            }

            if (pending.IsCompletedSuccessfully)
            {
                return Answer(lua, StatusOk, pending.Result);
            }

            var task = pending.AsTask();
            var handle = ++_nextHandle;
            _pending[handle] = task;
            return Answer(lua, StatusPending, handle);
        }
        catch (Exception e)
        {
            // Never let an exception reach native code: report it to the script as a plain (fatal) error.
            return Answer(lua, StatusError, "host function failed: " + e.Message);
        }
    }

    private static int Answer(LuaState lua, int status, object? value)
    {
        try
        {
            lua.PushInteger(status);
            LuaValues.Push(lua, value);
        }
        catch (Exception e)
        {
            lua.SetTop(0);
            lua.PushInteger(StatusError);
            lua.PushBuffer(Encoding.UTF8.GetBytes("host result not representable: " + e.Message));
        }

        return 2;
    }

    private int RawEmbedded(IntPtr state)
    {
        var lua = LuaState.FromIntPtr(state);
        var name = lua.Type(1) == LuaType.String ? lua.ToString(1, false) : null;
        var text = name is not null && LuaScriptSource.EmbeddedLibraries.Contains(name) ? LuaScriptSource.Embedded(name + ".lua") : null;
        if (text is null)
        {
            lua.PushNil();
        }
        else
        {
            lua.PushBuffer(text);
        }

        return 1;
    }

    private int RawHookPending(IntPtr state)
    {
        LuaState.FromIntPtr(state).PushBoolean(_hookYield);
        return 1;
    }

    private void Hook(IntPtr state, IntPtr debug)
    {
        // Interrupt a long-running script once its execution is cancelled. Yielding from a count hook does not unwind
        // (Lua returns to the hook caller), and only where the coroutine can yield at all.
        if (_current is { CancellationToken.IsCancellationRequested: true } && !_hookYield && LuaNative.IsYieldable(state) != 0)
        {
            _hookYield = true;
            LuaNative.Yield(state, 0, IntPtr.Zero, IntPtr.Zero);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _lua.Dispose();
        }
    }
}
