using System.Globalization;
using System.Text;
using GenVm.Wasm;
using GenVm.Wasm.Wasi;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm wasm run [options] file.wasm [args...]</c>: runs a WASI preview1 command like <c>wasmtime run</c>.
/// Exit code: the guest's <c>proc_exit</c> code, 0 when <c>_start</c> returns, 134 after a trap (128 + SIGABRT, what
/// wasmtime's CLI returns on Unix; the trap and its wasm backtrace go to stderr), 1 when the module cannot be loaded
/// or linked, 2 on bad usage. <c>genvm wasm precompile [--il-only] file.wasm...</c> fills the compile cache
/// (<see cref="Precompiler"/>) without running anything. <c>--snapshot-init INIT --snapshot-run RUN</c> restores the
/// start-up <c>_initialize</c> + INIT from a snapshot file (<see cref="WasmSnapshotStart"/>) and then calls RUN.
/// </summary>
internal sealed class WasmVerb : IVerb
{
    /// <summary>Exit code after a trap (wasmtime: 128 + SIGABRT on Unix).</summary>
    public const int TrapExitCode = 134;

    private const int GuestStackBytes = 256 * 1024 * 1024;

    private const int MaxPrintedFrames = 32;

    private const string Usage =
        "usage: genvm wasm run [--dir HOST[::GUEST]] [--dir-ro HOST[::GUEST]] [--env NAME=VALUE] [--invoke NAME] [--snapshot-init INIT [--snapshot-run RUN]] file.wasm [args...]";

    private const string PrecompileUsage = "usage: genvm wasm precompile [--il-only] file.wasm...";

    private readonly Func<Stream> _stdin;
    private readonly Func<Stream> _stdout;
    private readonly Func<Stream> _stderr;

    /// <summary>Uses the process's standard streams.</summary>
    public WasmVerb()
        : this(Console.OpenStandardInput, Console.OpenStandardOutput, Console.OpenStandardError)
    {
    }

    /// <summary>Uses the given streams (tests).</summary>
    internal WasmVerb(Func<Stream> stdin, Func<Stream> stdout, Func<Stream> stderr)
    {
        _stdin = stdin;
        _stdout = stdout;
        _stderr = stderr;
    }

    public string Name => "wasm";

    public string Summary => "run a WebAssembly module with WASI preview1: wasm run [--dir H[::G]] [--env K=V] [--invoke F] file.wasm [args]; wasm precompile [--il-only] file.wasm...";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var stderr = new StreamWriter(_stderr(), new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
        if (args.Count > 0 && args[0] == "precompile")
        {
            return Precompile(args.Skip(1).ToList(), stderr);
        }

        if (args.Count == 0 || args[0] != "run")
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        if (!TryParse(args.Skip(1).ToList(), out var options, out var error))
        {
            stderr.WriteLine($"genvm wasm run: {error}");
            stderr.WriteLine(Usage);
            return 2;
        }

        // Guest code runs synchronously on its own thread with a large stack (style brief §7, wasm-abi.md §13).
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.SetResult(Run(options, stderr));
                }
                catch (Exception ex)
                {
                    completion.SetException(ex);
                }
            },
            GuestStackBytes)
        {
            Name = "wasm-guest",
            IsBackground = true,
        };
        thread.Start();
        return await completion.Task.ConfigureAwait(false);
    }

    private int Precompile(List<string> args, StreamWriter stderr)
    {
        var ilOnly = args.Remove("--il-only");
        if (args.Count == 0 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            stderr.WriteLine(PrecompileUsage);
            return 2;
        }

        using var stdout = new StreamWriter(_stdout(), new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
        return new Precompiler(stdout, stderr) { IlOnly = ilOnly }.Run(args);
    }

    private static bool TryParse(List<string> args, out RunOptions options, out string error)
    {
        options = new RunOptions();
        error = string.Empty;
        var i = 0;
        for (; i < args.Count && args[i].StartsWith("--", StringComparison.Ordinal); i++)
        {
            var option = args[i];
            if (option == "--")
            {
                i++;
                break;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{option} needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--dir":
                case "--dir-ro":
                {
                    var sep = value.IndexOf("::", StringComparison.Ordinal);
                    var host = sep < 0 ? value : value[..sep];
                    var guest = sep < 0 ? value : value[(sep + 2)..];
                    options.Dirs.Add((host, guest, option == "--dir-ro"));
                    break;
                }

                case "--env":
                {
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        error = $"--env expects NAME=VALUE, got '{value}'";
                        return false;
                    }

                    options.Env.Add(new KeyValuePair<string, string>(value[..eq], value[(eq + 1)..]));
                    break;
                }

                case "--invoke":
                    options.Invoke = value;
                    break;
                case "--snapshot-init":
                    options.SnapshotInit = value;
                    break;
                case "--snapshot-run":
                    options.SnapshotRun = value;
                    break;
                default:
                    error = $"unknown option {option}";
                    return false;
            }
        }

        if (i >= args.Count)
        {
            error = "missing the module file";
            return false;
        }

        if (options.SnapshotRun is not null && (options.SnapshotInit is null || options.Invoke is not null))
        {
            error = "--snapshot-run needs --snapshot-init and excludes --invoke";
            return false;
        }

        options.File = args[i];
        options.Args.AddRange(args.Skip(i));
        return true;
    }

    private static Value ParseValue(ValueKind kind, string text) => kind switch
    {
        ValueKind.I32 => Value.FromI32(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : unchecked((int)uint.Parse(text, CultureInfo.InvariantCulture))),
        ValueKind.I64 => Value.FromI64(long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : unchecked((long)ulong.Parse(text, CultureInfo.InvariantCulture))),
        ValueKind.F32 => Value.FromF32(float.Parse(text, CultureInfo.InvariantCulture)),
        ValueKind.F64 => Value.FromF64(double.Parse(text, CultureInfo.InvariantCulture)),
        _ => throw new FormatException($"cannot pass a {kind} on the command line"),
    };

    private static string FormatValue(Value value) => value.Kind switch
    {
        ValueKind.I32 => value.I32.ToString(CultureInfo.InvariantCulture),
        ValueKind.I64 => value.I64.ToString(CultureInfo.InvariantCulture),
        ValueKind.F32 => value.F32.ToString("R", CultureInfo.InvariantCulture),
        ValueKind.F64 => value.F64.ToString("R", CultureInfo.InvariantCulture),
        _ => value.Reference is null ? "null" : "<ref>",
    };

    private int Run(RunOptions options, StreamWriter stderr)
    {
        using var stdout = new BufferedStream(_stdout(), 64 * 1024);
        using var stdin = _stdin();
        WasiConfiguration configuration;
        try
        {
            configuration = new WasiConfiguration
            {
                Args = options.Args,
                Environment = options.Env,
                Stdin = stdin,
                Stdout = stdout,
                Stderr = stderr.BaseStream,
                Preopens = options.Dirs.Select(d => WasiPreopen.FromHostDirectory(d.Host, d.Guest, d.ReadOnly)).ToList(),
            };
        }
        catch (DirectoryNotFoundException ex)
        {
            stderr.WriteLine($"Error: {ex.Message}");
            return 1;
        }

        using var wasi = new WasiHost(configuration);
        var engine = new Engine(new EngineConfig().WithCacheDirectory(CompileCacheDirectory.Resolve()));
        using var store = new Store(engine);
        try
        {
            Diagnostics.StartupTrace.Mark("wasm engine");
            var module = Module.FromFile(engine, options.File, Path.GetFileName(options.File));
            Diagnostics.StartupTrace.Mark("wasm module");
            Instance instance;
            if (options.SnapshotInit is { } init)
            {
                instance = WasmSnapshotStart.Instantiate(module, store, wasi, init, options.Dirs);
            }
            else
            {
                var linker = new Linker(engine);
                wasi.Define(linker);
                instance = linker.Instantiate(store, module);
            }

            var name = options.SnapshotRun ?? options.Invoke ?? "_start";
            var func = instance.GetFunction(name);
            if (func is null)
            {
                stderr.WriteLine($"Error: module `{options.File}` has no exported function `{name}`");
                return 1;
            }

            var parameters = func.Type.Parameters;
            var guestArgs = options.Invoke is null ? [] : options.Args.Skip(1).ToArray();
            if (guestArgs.Length != parameters.Length)
            {
                stderr.WriteLine($"Error: `{name}` expects {parameters.Length} arguments, got {guestArgs.Length}");
                return 1;
            }

            var values = new Value[parameters.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ParseValue(parameters[i], guestArgs[i]);
            }

            Diagnostics.StartupTrace.Mark("wasm instantiated");
            var results = func.Invoke(values);
            Diagnostics.StartupTrace.Mark("wasm returned");
            stdout.Flush();
            if (options.Invoke is not null)
            {
                var text = string.Concat(results.Select(r => FormatValue(r) + "\n"));
                stdout.Write(Encoding.UTF8.GetBytes(text));
            }

            return 0;
        }
        catch (WasiExitException exit)
        {
            return exit.ExitCode;
        }
        catch (WasmTrapException trap)
        {
            stdout.Flush();
            stderr.WriteLine($"Error: failed to run main module `{options.File}`");
            stderr.WriteLine($"wasm trap: {trap.Message} ({trap.Code})");
            if (trap.Frames.Count > 0)
            {
                stderr.WriteLine("wasm backtrace:");
                // A stack overflow has ~1000 frames: print the innermost ones and a count.
                for (var i = 0; i < Math.Min(trap.Frames.Count, MaxPrintedFrames); i++)
                {
                    stderr.WriteLine($"  {i,3}: {trap.Frames[i]}");
                }

                if (trap.Frames.Count > MaxPrintedFrames)
                {
                    stderr.WriteLine($"  ... {trap.Frames.Count - MaxPrintedFrames} more frames");
                }
            }

            return TrapExitCode;
        }
        catch (Exception ex) when (ex is WasmException or IOException or FormatException or UnauthorizedAccessException)
        {
            stdout.Flush();
            stderr.WriteLine($"Error: {ex.Message}");
            return 1;
        }
        finally
        {
            stdout.Flush();
        }
    }

    private sealed class RunOptions
    {
        public List<(string Host, string Guest, bool ReadOnly)> Dirs { get; } = [];

        public List<KeyValuePair<string, string>> Env { get; } = [];

        public List<string> Args { get; } = [];

        public string? Invoke { get; set; }

        public string? SnapshotInit { get; set; }

        public string? SnapshotRun { get; set; }

        public string File { get; set; } = string.Empty;
    }
}
