using System.Text;
using GenVm.Host.Verbs;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Host.Verbs;

/// <summary>
/// Plays the host side of a <see cref="WireTranscript"/> against the real <c>genvm run</c> verb over a real Unix
/// socket: every request the executor sends is read by its §5 layout and compared byte for byte with the transcript,
/// every answer is sent as written, and after the last line the executor must close the connection.
/// </summary>
internal sealed class WireReplay
{
    private WireReplay(int exitCode, string stdout, string stderr)
    {
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>The verb's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>Everything written to stdout (contract output, then the result lines).</summary>
    public string Stdout { get; }

    /// <summary>Everything written to stderr.</summary>
    public string Stderr { get; }

    /// <summary>Runs <c>genvm run --print=result</c> with <paramref name="message"/> (default: the testdata.md §2 template).</summary>
    public static Task<WireReplay> RunAsync(WireTranscript transcript, string? message = null, params string[] extraArgs)
        => RunAsync(transcript, message, null, extraArgs);

    /// <summary>As above, with <paramref name="llm"/> as the run's LLM module.</summary>
    public static async Task<WireReplay> RunAsync(WireTranscript transcript, string? message, GenVm.Core.Modules.ILlmModule? llm, params string[] extraArgs)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var host = TestHost.StartUnix();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var verb = new RunVerb(() => stdout, () => stderr) { Llm = llm };
        var run = Task.Run(() => verb.RunCoreAsync(["--host", host.Uri, "--message", message ?? ContractRun.MessageJson, "--print=result", .. extraArgs], guard.Token));
        await host.AcceptAsync(guard.Token).Guarded();
        foreach (var step in transcript.Steps)
        {
            var where = $"{transcript.Name}:{step.Line} ({step.Comment})";
            if (!step.FromExecutor)
            {
                await host.SendAsync(step.Octets).Guarded();
                continue;
            }

            TestHostRequest request;
            try
            {
                request = await host.ReadRequestAsync(guard.Token).Guarded();
            }
            catch (Exception e) when (e is TimeoutException or EndOfStreamException or InvalidDataException or OperationCanceledException)
            {
                Assert.Fail($"{where}: expected {Convert.ToHexStringLower(step.Octets)}, but no whole request came: {e.GetType().Name}: {e.Message}\nstderr: {Text(stderr)}");
                throw;
            }

            Assert.That(request.RawHex, Is.EqualTo(Convert.ToHexStringLower(step.Octets)), $"{where}\nfields: {Describe(request)}\nstderr: {Text(stderr)}");
        }

        var rest = await host.ReadToEndAsync(guard.Token).Guarded();
        Assert.That(Convert.ToHexStringLower(rest), Is.Empty, $"{transcript.Name}: the executor sent more after the last line");
        var exitCode = await run.Guarded();
        return new WireReplay(exitCode, Text(stdout), Text(stderr));
    }

    private static string Text(MemoryStream stream)
    {
        lock (stream)
        {
            return Encoding.UTF8.GetString(stream.ToArray());
        }
    }

    private static string Describe(TestHostRequest request)
        => string.Join(" ", request.Fields.Select(f => $"{f.Key}={Convert.ToHexStringLower(f.Value)}"));
}
