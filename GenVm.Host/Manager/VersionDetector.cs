using System.Diagnostics;
using System.Globalization;
using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Host.Manager;

/// <summary>
/// Contract major detection of manager.md §5.2: the latest major available at the timestamp, lowered to the major of
/// the contract's version pattern (<c>genvm parse-version-pattern</c>, config.md §3). The built-in executor answers in
/// process; other versions run their executor's <c>parse-version-pattern</c>.
/// </summary>
internal sealed class VersionDetector(ManifestStore manifest, ExecutionService executions)
{
    /// <summary>The major version for <paramref name="code"/> deployed at <paramref name="timestamp"/>.</summary>
    /// <exception cref="ManagerException"><c>no_executor_version_available</c>, <c>running genvm command …</c>.</exception>
    public async Task<uint> DetectMajorAsync(byte[] code, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var possible = manifest.Current.GetLatestMajor(timestamp) ?? throw new ManagerException("no_executor_version_available");
        var (_, command) = executions.ResolveExecutor(possible, timestamp);
        var pattern = command is null || IsBuiltIn(command)
            ? VersionPattern(code)
            : await RunParseVersionPatternAsync(command, code, cancellationToken).ConfigureAwait(false);

        // §5.2: trim, drop a leading `v`, take the text before the first `.`; unparsable (e.g. `*`) → possible.
        var text = pattern.Trim();
        if (text.StartsWith('v'))
        {
            text = text[1..];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            text = text[..dot];
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? Math.Min(parsed, possible) : possible;
    }

    /// <summary>
    /// What <c>genvm parse-version-pattern</c> prints (config.md §3): the archive's <c>version</c> member verbatim,
    /// <c>v0.1.0</c> for text and wasm without one, <c>v*.*.*</c> for a zip without one; empty when the code is not a
    /// contract (the command fails and prints nothing).
    /// </summary>
    public static string VersionPattern(byte[] code)
    {
        try
        {
            var archive = ContractArchive.FromCode(code, out var kind);
            return archive.VersionText ?? (kind == ContractArchive.CodeKind.Zip ? "v*.*.*" : "v0.1.0");
        }
        catch (RunnerLoadException)
        {
            return "";
        }
    }

    private static bool IsBuiltIn(IReadOnlyList<string> command)
        => command.Count > 0 && string.Equals(command[0], Environment.ProcessPath, StringComparison.Ordinal);

    private static async Task<string> RunParseVersionPatternAsync(IReadOnlyList<string> command, byte[] code, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        info.ArgumentList.Add("parse-version-pattern");
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new ManagerException($"running genvm command {command[0]}: {e.Message}");
        }

        try
        {
            using var output = new MemoryStream();
            var read = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var drainErrors = process.StandardError.BaseStream.CopyToAsync(Stream.Null, cancellationToken);
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(code, cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException e)
            {
                throw new ManagerException("failed to write contract code to stdin: " + e.Message);
            }

            await Task.WhenAll(read, drainErrors).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new UTF8Encoding(false, false).GetString(output.ToArray());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
