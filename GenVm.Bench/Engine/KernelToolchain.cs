using System.Security.Cryptography;
using System.Text;

namespace GenVm.Bench.Engine;

/// <summary>
/// Compiles the C kernels with Debian's clang-19 against wasi-libc (the same flags as the toolchain tests in
/// <c>GenVm.Tests/Host/WasmVerbToolchain.cs</c>) and caches the .wasm under
/// <c>${GENVM_CACHE_DIR:-~/.cache/genvm}/engine-bench</c>, keyed by a hash of the flags and the source.
/// </summary>
internal static class KernelToolchain
{
    /// <summary>The compiler flags; part of the cache key.</summary>
    public const string CFlags = "--target=wasm32-wasi -O2 --sysroot=/usr";

    /// <summary>The cache directory for kernels and the node runner.</summary>
    public static string CacheDirectory => Path.Combine(
        Environment.GetEnvironmentVariable("GENVM_CACHE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genvm"),
        "engine-bench");

    /// <summary>Returns the cached .wasm for <paramref name="sourcePath"/>, compiling it first if needed.</summary>
    public static string Compile(string sourcePath)
    {
        var source = File.ReadAllText(sourcePath);
        var name = Path.GetFileNameWithoutExtension(sourcePath);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CFlags + "\n" + source)), 0, 12).ToLowerInvariant();
        Directory.CreateDirectory(CacheDirectory);
        var output = Path.Combine(CacheDirectory, $"{name}-{key}.wasm");
        if (File.Exists(output))
        {
            return output;
        }

        // Compile to a private name, then move: concurrent bench runs never see a half-written file.
        var temp = Path.Combine(CacheDirectory, $"{name}-{key}.{Environment.ProcessId}.wasm");
        var args = CFlags.Split(' ').Concat([sourcePath, "-o", temp, "-lm"]).ToArray();
        var result = ChildProcess.Run("clang-19", args, new Dictionary<string, string>(), TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            File.Delete(temp);
            throw new InvalidOperationException($"clang-19 failed on {sourcePath} ({result.ExitCode}): {result.Stderr}");
        }

        File.Move(temp, output, overwrite: true);
        return output;
    }
}
