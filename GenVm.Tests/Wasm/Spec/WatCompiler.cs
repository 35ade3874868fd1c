using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>Compiles WebAssembly text with wabt's <c>wat2wasm</c> at test time, cached by the text's hash.</summary>
internal static class WatCompiler
{
    /// <summary>The binary of <paramref name="wat"/>.</summary>
    public static byte[] Compile(string wat)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(wat)), 0, 12).ToLowerInvariant();
        var dir = Path.Combine(SpecPaths.CacheRoot, "wat2wasm");
        var output = Path.Combine(dir, key + ".wasm");
        if (File.Exists(output))
        {
            return File.ReadAllBytes(output);
        }

        Directory.CreateDirectory(dir);
        var input = Path.Combine(dir, $"{key}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.wat");
        var temp = input + ".wasm";
        File.WriteAllText(input, wat);
        try
        {
            var psi = new ProcessStartInfo("wat2wasm") { RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("--enable-tail-call");
            psi.ArgumentList.Add(input);
            psi.ArgumentList.Add("-o");
            psi.ArgumentList.Add(temp);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("wat2wasm failed: " + stderr);
            }

            File.Move(temp, output, overwrite: true);
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(input);
            File.Delete(temp);
        }
    }
}
