using System.Diagnostics;
using System.Text.Json;

namespace GenVm.Tests.Wasm.Binary;

/// <summary>
/// Test helper: converts the spec test suite's <c>.wast</c> scripts with wabt's <c>wast2json</c> and lists their
/// module commands. Used by the decoder/validator conformance and fuzz tests.
/// </summary>
internal static class WastJson
{
    /// <summary>Where the spec test suite lives (override with GENVM_WASM_TESTSUITE).</summary>
    public static string SuiteDirectory => GenVm.Tests.Wasm.Spec.SpecPaths.TestSuiteDirectory;

    /// <summary>Every non-SIMD script, including the tail-call folder, as paths relative to the suite.</summary>
    public static IEnumerable<string> ScriptNames() => GenVm.Tests.Wasm.Spec.SpecDiscovery.Files();

    /// <summary>Whether wast2json is on the PATH.</summary>
    public static bool ToolAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, "wast2json")));

    /// <summary>
    /// Runs wast2json on one script into <paramref name="outputDirectory"/>. Returns the commands, or null with the
    /// tool's error text when the script does not convert (wabt 1.0.x lacks some newer text syntax).
    /// </summary>
    public static IReadOnlyList<WastCommand>? Convert(string scriptName, string outputDirectory, out string error, string? sourcePath = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var jsonPath = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(scriptName) + ".json");
        var start = new ProcessStartInfo("wast2json")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--enable-tail-call");
        start.ArgumentList.Add(sourcePath ?? Path.Combine(SuiteDirectory, scriptName));
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(jsonPath);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(true);
            error = "wast2json timed out";
            return null;
        }

        error = stderr.Result.Split('\n').FirstOrDefault() ?? string.Empty;
        if (process.ExitCode != 0 || !File.Exists(jsonPath))
        {
            error = $"exit {process.ExitCode}: {error}";
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        var commands = new List<WastCommand>();
        foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
        {
            if (!command.TryGetProperty("filename", out var file))
            {
                continue;
            }

            var moduleType = command.TryGetProperty("module_type", out var mt) ? mt.GetString() : "binary";
            var text = command.TryGetProperty("text", out var t) ? t.GetString() : null;
            commands.Add(new WastCommand(
                command.GetProperty("type").GetString()!,
                command.GetProperty("line").GetInt32(),
                Path.Combine(outputDirectory, file.GetString()!),
                moduleType ?? "binary",
                text));
        }

        return commands;
    }

    /// <summary>Copies a script through <paramref name="rewrite"/> into <paramref name="directory"/>; returns the copy's path.</summary>
    public static string WriteRewritten(string scriptName, string directory, Func<string, string> rewrite)
    {
        var text = File.ReadAllText(Path.Combine(SuiteDirectory, scriptName));
        var path = Path.Combine(directory, Path.GetFileName(scriptName));
        File.WriteAllText(path, rewrite(text));
        return path;
    }

    /// <summary>Gives every table instruction that omits its table index an explicit <c>0</c> (wabt 1.0.32 needs it).</summary>
    public static string ExplicitTableIndices(string text) => System.Text.RegularExpressions.Regex.Replace(
        text, @"(?<![\w.""])table\.(get|set|size|grow|fill)\b(?!\s+(\$|\d))(?!"")", m => m.Value + " 0");

    /// <summary>A fresh temporary directory.</summary>
    public static string NewTempDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
