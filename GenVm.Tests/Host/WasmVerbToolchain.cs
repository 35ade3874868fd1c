using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GenVm.Tests.Host;

/// <summary>
/// Builds C programs for wasm32-wasi with Debian's clang-19 and wasi-libc (cached under
/// <c>$GENVM_CACHE_DIR/c-programs</c> by source hash) and runs them under node's <c>node:wasi</c> as the reference.
/// </summary>
internal static class WasmVerbToolchain
{
    /// <summary>The compiler flags; part of the cache key.</summary>
    public const string CFlags = "--target=wasm32-wasi -O2 --sysroot=/usr";

    private const string NodeRunner = """
        import { readFile } from 'node:fs/promises';
        import { WASI } from 'node:wasi';
        const [file, configJson] = process.argv.slice(2);
        const config = JSON.parse(configJson);
        const wasi = new WASI({ version: 'preview1', args: config.args, env: config.env, preopens: config.preopens, returnOnExit: true });
        const module = await WebAssembly.compile(await readFile(file));
        const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
        process.exitCode = wasi.start(instance);
        """;

    private static string CacheDirectory => Path.Combine(TestCache.Root, "c-programs");

    /// <summary>
    /// The flags for freestanding contracts: no libc, imports from <c>genlayer_sdk</c> and WASI declared in the source,
    /// only the wasm features the executor's det engine accepts (wasm-abi.md §1.1).
    /// </summary>
    public const string FreestandingFlags =
        "--target=wasm32 -nostdlib -O2 -mcpu=mvp -mbulk-memory -msign-ext -mmutable-globals -Wl,--no-entry -Wl,--export=_start -Wl,--allow-undefined";

    /// <summary>Compiles <paramref name="source"/> (or reuses the cached binary); returns the .wasm path.</summary>
    public static string Compile(string name, string source) => Compile(name, source, CFlags, ["-lm"]);

    /// <summary>Compiles <paramref name="source"/> with <paramref name="flags"/> (part of the cache key); returns the .wasm path.</summary>
    public static string Compile(string name, string source, string flags, IReadOnlyList<string> libraries)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(libraries);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(flags + "\n" + source)), 0, 12).ToLowerInvariant();
        Directory.CreateDirectory(CacheDirectory);
        var output = Path.Combine(CacheDirectory, $"{name}-{key}.wasm");
        if (File.Exists(output))
        {
            return output;
        }

        var stem = Path.Combine(CacheDirectory, $"{name}-{key}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}");
        File.WriteAllText(stem + ".c", source);
        try
        {
            var args = flags.Split(' ').Concat([stem + ".c", "-o", stem + ".wasm", .. libraries]).ToArray();
            var (code, _, stderr) = Run("clang-19", args, TimeSpan.FromMinutes(2));
            if (code != 0)
            {
                throw new InvalidOperationException($"clang-19 failed ({code}): {stderr}");
            }

            File.Move(stem + ".wasm", output, overwrite: true);
            return output;
        }
        finally
        {
            File.Delete(stem + ".c");
            File.Delete(stem + ".wasm");
        }
    }

    /// <summary>Runs <paramref name="wasm"/> under node's WASI; argv[0] is the path, as in <c>genvm wasm run</c>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunNode(
        string wasm, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, IReadOnlyDictionary<string, string> preopens)
    {
        Directory.CreateDirectory(CacheDirectory);
        var runner = Path.Combine(CacheDirectory, "node-wasi-runner.mjs");
        if (!File.Exists(runner) || File.ReadAllText(runner) != NodeRunner)
        {
            var temp = runner + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId;
            File.WriteAllText(temp, NodeRunner);
            File.Move(temp, runner, overwrite: true);
        }

        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["args"] = new[] { wasm }.Concat(args).ToArray(),
            ["env"] = env,
            ["preopens"] = preopens,
        });
        return Run("node", ["--no-warnings", runner, wasm, config], TimeSpan.FromMinutes(1));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
