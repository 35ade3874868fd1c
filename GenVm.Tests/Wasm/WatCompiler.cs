using System.Collections.Concurrent;
using System.Diagnostics;
using GenVm.Wasm;

namespace GenVm.Tests.Wasm;

/// <summary>Builds small modules from WebAssembly text at test time with wabt's <c>wat2wasm</c> (Debian package wabt).</summary>
internal static class WatCompiler
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The binary of <paramref name="wat"/>, with tail calls enabled.</summary>
    public static byte[] Compile(string wat) => Cache.GetOrAdd(wat, CompileCore);

    /// <summary>Compiles <paramref name="wat"/> and loads it into <paramref name="engine"/>.</summary>
    public static Module Load(Engine engine, string wat, string? name = null) => Module.FromBytes(engine, Compile(wat), name);

    /// <summary>Compiles, loads and instantiates a module with no imports.</summary>
    public static Instance Instantiate(Store store, string wat, Linker? linker = null) =>
        (linker ?? new Linker(store.Engine)).Instantiate(store, Load(store.Engine, wat));

    private static byte[] CompileCore(string wat)
    {
        var dir = Path.Combine(Path.GetTempPath(), "genvm-wat-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var stem = Path.Combine(dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(stem + ".wat", wat);
        try
        {
            var psi = new ProcessStartInfo("wat2wasm")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("--enable-tail-call");
            psi.ArgumentList.Add("--debug-names");
            psi.ArgumentList.Add(stem + ".wat");
            psi.ArgumentList.Add("-o");
            psi.ArgumentList.Add(stem + ".wasm");
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start wat2wasm");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("wat2wasm failed: " + stderr.Result);
            }

            return File.ReadAllBytes(stem + ".wasm");
        }
        finally
        {
            File.Delete(stem + ".wat");
            File.Delete(stem + ".wasm");
        }
    }
}
