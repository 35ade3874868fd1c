using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Converts a <c>.wast</c> script to wabt's JSON form plus one <c>.wasm</c> per module with <c>wast2json</c>, at test
/// time, into a cache folder keyed by the script's hash (so a changed script or flag set converts again).
/// </summary>
internal static class WastConverter
{
    /// <summary>Flags passed to <c>wast2json</c>; its 1.0.32 defaults already enable the WebAssembly 2.0 proposals.</summary>
    public const string Flags = "--enable-tail-call";

    // Bump when the conversion (flags, compatibility rewrite) changes meaningfully.
    private const string CacheFormat = "3";

    /// <summary>Converts <paramref name="wastPath"/>; returns the path of the JSON script.</summary>
    /// <exception cref="InvalidOperationException">wast2json failed (its stderr is in the message).</exception>
    public static string Convert(string wastPath)
    {
        var original = File.ReadAllText(wastPath);
        var text = WastCompat.Rewrite(original);
        var baseName = Path.GetFileNameWithoutExtension(wastPath);
        var key = Convert64(SHA256.HashData(Encoding.UTF8.GetBytes(CacheFormat + "\n" + Flags + "\n" + text)));
        var dir = Path.Combine(TestCache.Root, "wast2json", baseName + "-" + key);
        var json = Path.Combine(dir, baseName + ".json");
        if (File.Exists(json))
        {
            return json;
        }

        // Convert into a private folder, then publish it with one rename so parallel runs never see half a conversion.
        var work = dir + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        Directory.CreateDirectory(work);
        try
        {
            var input = Path.Combine(work, baseName + ".wast");
            File.WriteAllText(input, text);
            var psi = new ProcessStartInfo("wast2json")
            {
                WorkingDirectory = work,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var flag in Flags.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                psi.ArgumentList.Add(flag);
            }

            psi.ArgumentList.Add(baseName + ".wast");
            psi.ArgumentList.Add("-o");
            psi.ArgumentList.Add(baseName + ".json");
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start wast2json");
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wast2json {Flags} {baseName}.wast failed ({process.ExitCode}): {Truncate(stderr.Result)}");
            }

            File.Delete(input);
            try
            {
                Directory.Move(work, dir);
            }
            catch (IOException) when (File.Exists(json))
            {
                // Another run published the same conversion first.
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        return json;
    }

    private static string Convert64(byte[] hash) => System.Convert.ToHexString(hash, 0, 8).ToLowerInvariant();

    private static string Truncate(string s) => s.Length <= 600 ? s.Trim() : s[..600] + "...";
}
