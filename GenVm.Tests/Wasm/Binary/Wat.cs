using System.Diagnostics;

namespace GenVm.Tests.Wasm.Binary;

/// <summary>Test helper: compiles WebAssembly text with wabt's <c>wat2wasm</c> (Debian package wabt).</summary>
internal static class Wat
{
    /// <summary>Compiles <paramref name="text"/> (all wabt features that we may test: tail calls on).</summary>
    public static byte[] ToWasm(string text, params string[] extraArguments)
    {
        var directory = WastJson.NewTempDirectory("genvm-wat");
        try
        {
            var input = Path.Combine(directory, "m.wat");
            var output = Path.Combine(directory, "m.wasm");
            File.WriteAllText(input, text);
            var start = new ProcessStartInfo("wat2wasm")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("--enable-tail-call");
            foreach (var argument in extraArguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(input);
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("wat2wasm failed: " + stderr.Result);
            }

            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
