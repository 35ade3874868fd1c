using System.Text.Json;
using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Runs one converted spec script, command by command, the way the reference interpreter's script runner does:
/// one store for the whole script, named and registered instances, and trap texts compared by prefix.
/// </summary>
internal sealed class SpecScriptRunner : IDisposable
{
    /// <summary>How long one script may run before its store is interrupted.</summary>
    public static readonly TimeSpan FileTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly SpecFileResult _result;
    private readonly Engine _engine;
    private readonly Store _store;
    private readonly Linker _linker;
    private readonly Dictionary<string, Instance> _named = new(StringComparer.Ordinal);
    private Instance? _current;
    private int _line;

    private SpecScriptRunner(string directory, SpecFileResult result, Engine? engine)
    {
        _engine = engine ?? new Engine();
        _directory = directory;
        _result = result;
        _store = new Store(_engine);
        _linker = new Linker(_engine) { AllowShadowing = true };
        SpectestHost.Define(_linker, _store, TextWriter.Null);
    }

    /// <summary>Converts and runs the script <paramref name="relativeName"/> of the suite folder (on <paramref name="engine"/>, default a new one).</summary>
    public static SpecFileResult RunFile(string relativeName, Engine? engine = null)
    {
        var result = new SpecFileResult(relativeName);
        string json;
        try
        {
            json = WastConverter.Convert(Path.Combine(SpecPaths.TestSuiteDirectory, relativeName));
        }
        catch (InvalidOperationException ex)
        {
            result.Failures.Add($"{relativeName}:0: conversion: {ex.Message}");
            return result;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(json));
        SpecScriptRunner? runner = null;
        try
        {
            LargeStack.Run(
                () =>
                {
                    runner = new SpecScriptRunner(Path.GetDirectoryName(json)!, result, engine);
                    foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
                    {
                        runner.RunCommand(relativeName, command);
                    }

                    return 0;
                },
                FileTimeout,
                () => runner?.TryInterrupt());
        }
        catch (TimeoutException ex)
        {
            result.Failures.Add($"{relativeName}: timeout: {ex.Message}");
        }
        catch (Exception ex)
        {
            // Setting up the store or the spectest module failed: nothing of the script ran.
            result.Failures.Add($"{relativeName}:0: setup: {Describe(ex)}");
        }
        finally
        {
            runner?.Dispose();
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();

    private static string Describe(Exception ex)
    {
        var message = ex.Message.Split('\n')[0];
        return $"{ex.GetType().Name}: {message}";
    }

    /// <summary>
    /// The reference interpreter's check: the engine's trap text starts with the expected text. The suite's texts
    /// carry details our codes do not ("uninitialized element 2"), so either prefix direction counts. The reference
    /// interpreter names a call_indirect past the table end "undefined element"; that is our TableOutOfBounds.
    /// </summary>
    private static bool TrapMatches(TrapCode code, string expected)
    {
        var actual = TrapMessages.Describe(code);
        return actual.StartsWith(expected, StringComparison.Ordinal)
            || expected.StartsWith(actual, StringComparison.Ordinal)
            || (expected == "undefined element" && code == TrapCode.TableOutOfBounds);
    }

    private void TryInterrupt()
    {
        try
        {
            _store.Interrupt();
        }
        catch (NotImplementedException)
        {
            // The engine cannot interrupt yet; the timeout still fails the script.
        }
    }

    private void RunCommand(string file, JsonElement command)
    {
        var type = command.GetProperty("type").GetString()!;
        var line = command.GetProperty("line").GetInt32();
        _line = line;
        if (SpecSkipList.Commands.ContainsKey($"{file}:{line}"))
        {
            _result.Skipped++;
            return;
        }

        string? failure;
        try
        {
            failure = type switch
            {
                "module" => RunModule(command),
                "register" => RunRegister(command),
                "action" => RunAction(command, out _, out var trap) is { } err ? err : trap is not null ? $"trapped: {trap.Message}" : null,
                "assert_return" => RunAssertReturn(command),
                "assert_trap" => RunAssertTrap(command, exhaustion: false),
                "assert_exhaustion" => RunAssertTrap(command, exhaustion: true),
                "assert_invalid" => RunAssertModuleError<ModuleValidationException>(command),
                "assert_malformed" => RunAssertMalformed(command),
                "assert_unlinkable" => RunAssertInstantiationError(command, trap: false),
                "assert_uninstantiable" => RunAssertInstantiationError(command, trap: true),
                _ => $"unknown command type {type}",
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = "unexpected " + Describe(ex);
        }

        if (failure is null)
        {
            _result.Passed++;
        }
        else if (failure.Length > 0)
        {
            _result.Failures.Add($"{file}:{line}: {type}: {failure}");
        }
    }

    private byte[] ReadModule(JsonElement command) =>
        File.ReadAllBytes(Path.Combine(_directory, command.GetProperty("filename").GetString()!));

    private string? RunModule(JsonElement command)
    {
        _current = null;
        var module = Module.FromBytes(_engine, ReadModule(command));
        _current = _linker.Instantiate(_store, module);
        if (command.TryGetProperty("name", out var name))
        {
            _named[name.GetString()!] = _current;
        }

        return null;
    }

    private string? RunRegister(JsonElement command)
    {
        var instance = ResolveInstance(command);
        if (instance is null)
        {
            return "no such module";
        }

        _linker.DefineInstance(command.GetProperty("as").GetString()!, instance);
        return null;
    }

    private Instance? ResolveInstance(JsonElement commandOrAction) =>
        commandOrAction.TryGetProperty("name", out var name) || commandOrAction.TryGetProperty("module", out name)
            ? _named.GetValueOrDefault(name.GetString()!)
            : _current;

    /// <summary>Runs an invoke or get. Returns an error text for a script problem, else null with results or a trap.</summary>
    private string? RunAction(JsonElement command, out Value[] results, out WasmTrapException? trap)
    {
        results = [];
        trap = null;
        var action = command.GetProperty("action");
        var instance = ResolveInstance(action);
        if (instance is null)
        {
            return "no module instance (an earlier module command failed?)";
        }

        var field = action.GetProperty("field").GetString()!;
        switch (action.GetProperty("type").GetString())
        {
            case "invoke":
            {
                var func = instance.GetFunction(field);
                if (func is null)
                {
                    return $"no exported function \"{field}\"";
                }

                var args = action.GetProperty("args").EnumerateArray().Select(SpecValues.ParseArgument).ToArray();
                results = new Value[func.Type.Results.Length];
                try
                {
                    func.Invoke(args, results);
                }
                catch (WasmTrapException ex)
                {
                    trap = ex;
                }

                return null;
            }

            case "get":
            {
                var global = instance.GetGlobal(field);
                if (global is null)
                {
                    return $"no exported global \"{field}\"";
                }

                results = [global.Value];
                return null;
            }

            default:
                return $"unknown action {action.GetProperty("type").GetString()}";
        }
    }

    private string? RunAssertReturn(JsonElement command)
    {
        if (RunAction(command, out var results, out var trap) is { } error)
        {
            return error;
        }

        if (trap is not null)
        {
            return $"trapped: {trap.Message}";
        }

        var expected = command.GetProperty("expected").EnumerateArray().ToArray();
        if (expected.Length != results.Length)
        {
            return $"expected {expected.Length} results, got {results.Length}";
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (!SpecValues.Matches(expected[i], results[i], out var want))
            {
                return $"result {i}: expected {want}, got {SpecValues.Format(results[i])}";
            }
        }

        return null;
    }

    private string? RunAssertTrap(JsonElement command, bool exhaustion)
    {
        var text = command.GetProperty("text").GetString()!;
        if (RunAction(command, out var results, out var trap) is { } error)
        {
            return error;
        }

        if (trap is null)
        {
            return $"expected trap \"{text}\", returned [{string.Join(", ", results.Select(SpecValues.Format))}]";
        }

        if (exhaustion && trap.Code != TrapCode.StackOverflow)
        {
            return $"expected stack exhaustion, trapped {trap.Code}: {trap.Message}";
        }

        return TrapMatches(trap.Code, text) ? null : $"expected trap \"{text}\", trapped {trap.Code}: \"{trap.Message}\"";
    }

    private string? RunAssertMalformed(JsonElement command)
    {
        if (command.GetProperty("module_type").GetString() == "text")
        {
            // Text-format malformedness (bad tokens, wrong s-expressions) is wast2json's business, not the engine's.
            _result.TextOnly++;
            return string.Empty;
        }

        return RunAssertModuleError<ModuleDecodeException>(command);
    }

    private string? RunAssertModuleError<TException>(JsonElement command)
        where TException : WasmException
    {
        var text = command.GetProperty("text").GetString()!;
        try
        {
            Module.FromBytes(_engine, ReadModule(command));
        }
        catch (TException ex)
        {
            CountMessage(ex is ModuleDecodeException d ? d.Reason : ex is ModuleValidationException v ? v.Reason : ex.Message, text);
            return null;
        }
        catch (WasmException ex)
        {
            return $"expected {typeof(TException).Name} \"{text}\", got {Describe(ex)}";
        }

        return $"module accepted, expected {typeof(TException).Name} \"{text}\"";
    }

    private string? RunAssertInstantiationError(JsonElement command, bool trap)
    {
        var text = command.GetProperty("text").GetString()!;
        var module = Module.FromBytes(_engine, ReadModule(command));
        try
        {
            _linker.Instantiate(_store, module);
        }
        catch (WasmTrapException ex) when (trap)
        {
            return TrapMatches(ex.Code, text) ? null : $"expected trap \"{text}\", trapped {ex.Code}: \"{ex.Message}\"";
        }
        catch (LinkException ex) when (!trap)
        {
            CountMessage(ex.Message, text);
            return null;
        }
        catch (WasmException ex)
        {
            return $"expected {(trap ? "a trap" : "a link error")} \"{text}\", got {Describe(ex)}";
        }

        return $"instantiation succeeded, expected \"{text}\"";
    }

    private void CountMessage(string actual, string expected)
    {
        if (!actual.StartsWith(expected, StringComparison.Ordinal))
        {
            _result.MessageMismatches++;
            _result.MessageDifferences.Add($"{_result.File}:{_line}: expected \"{expected}\", got \"{actual}\"");
        }
    }
}
