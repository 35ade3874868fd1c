using System.Diagnostics;

namespace GenVm.Tests.Runners;

/// <summary>
/// Runs the system <c>python3</c> on the SDK sources in <c>runners/py-genlayer-std</c> (native tests of the Python SDK,
/// with the pure-Python fake of <c>_genlayer_wasi</c> from its <c>tests/fake</c> folder).
/// </summary>
internal static class PythonProcess
{
    /// <summary>The SDK directory (mapped to <c>/py/libs/</c> in the VM).</summary>
    public static string SdkDirectory => Path.Combine(RepositoryRoot.Path, "runners", "py-genlayer-std");

    /// <summary>Runs <c>python3 args…</c> in the SDK directory with local time UTC; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("python3")
        {
            WorkingDirectory = SdkDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TZ"] = "UTC";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', info.ArgumentList)} ran longer than {timeout}");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
