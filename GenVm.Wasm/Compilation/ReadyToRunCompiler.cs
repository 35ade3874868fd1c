using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// Runs crossgen2 (the ReadyToRun compiler of the .NET SDK, NuGet package
/// <c>Microsoft.NETCore.App.Crossgen2.&lt;rid&gt;</c>) on a cached IL image, so a fresh process runs native code
/// instead of jitting every function it calls (issue 4 item 6: an IL cache still JITs; this removes that cost).
/// </summary>
internal static class ReadyToRunCompiler
{
    /// <summary>Compiles <paramref name="input"/> to <paramref name="output"/> against this runtime and this engine.</summary>
    /// <exception cref="InvalidOperationException">crossgen2 could not be started or failed.</exception>
    public static void Compile(string crossgen2, string input, string output)
    {
        var start = PhaseTimings.Start();
        var psi = new ProcessStartInfo(crossgen2)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(input);
        psi.ArgumentList.Add("-o");
        psi.ArgumentList.Add(output);
        psi.ArgumentList.Add("-O");
        psi.ArgumentList.Add("--targetos");
        psi.ArgumentList.Add(OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : "linux");
        psi.ArgumentList.Add("--targetarch");
        psi.ArgumentList.Add(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant());
        psi.ArgumentList.Add("-r");
        psi.ArgumentList.Add(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
        psi.ArgumentList.Add("-r");
        psi.ArgumentList.Add(typeof(Engine).Assembly.Location);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {crossgen2}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot start {crossgen2}: {ex.Message}", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"crossgen2 failed ({process.ExitCode}): {stderr.Result}{stdout}".Trim());
            }
        }

        PhaseTimings.Stop("crossgen2", start);
    }
}
