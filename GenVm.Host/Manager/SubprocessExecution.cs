using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;

namespace GenVm.Host.Manager;

/// <summary>
/// One executor process (manager.md §4 <c>/genvm/run</c> step 5): <c>&lt;command&gt; --log-fd=&lt;pipe&gt; run …</c>
/// with stdin closed; stdout and stderr are read to the end (kept when capturing, else discarded) and every line of
/// the log pipe goes to <c>onLogLine</c>.
/// </summary>
internal sealed partial class SubprocessExecution : IExecutionProcess
{
    private const int SigTerm = 15;

    // A pipe end inheritable by one child is inheritable by every child forked while it is open, and a stray copy of
    // the write end would keep the log reader from seeing end of file: spawns are serialised with the close.
    private static readonly Lock SpawnLock = new();

    private readonly Process _process;

    private SubprocessExecution(Process process, Task<int> exited)
    {
        _process = process;
        Exited = exited;
    }

    /// <inheritdoc/>
    public Task<int> Exited { get; }

    /// <summary>The executor's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts <paramref name="command"/> (program and leading arguments) with <c>--log-fd</c> and <paramref name="arguments"/>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started.</exception>
    public static SubprocessExecution Start(IReadOnlyList<string> command, IReadOnlyList<string> arguments, Stream stdout, Stream stderr, Action<string> onLogLine)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(onLogLine);
        var logPipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
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

        info.ArgumentList.Add("--log-fd=" + logPipe.GetClientHandleAsString());
        foreach (var word in arguments)
        {
            info.ArgumentList.Add(word);
        }

        var process = new Process { StartInfo = info };
        try
        {
            lock (SpawnLock)
            {
                try
                {
                    process.Start();
                }
                finally
                {
                    logPipe.DisposeLocalCopyOfClientHandle();
                }
            }
        }
        catch
        {
            logPipe.Dispose();
            process.Dispose();
            throw;
        }

        // manager.md §4: stdin is null.
        process.StandardInput.Close();
        var readers = Task.WhenAll(
            process.StandardOutput.BaseStream.CopyToAsync(stdout),
            process.StandardError.BaseStream.CopyToAsync(stderr),
            ReadLogAsync(logPipe, onLogLine));
        return new SubprocessExecution(process, WaitAsync(process, readers));
    }

    /// <inheritdoc/>
    public void Terminate()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Kill(_process.Id, SigTerm);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already reaped.
        }
    }

    /// <inheritdoc/>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited.
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await Exited.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported by the owner of the execution.
        }

        _process.Dispose();
    }

    private static async Task<int> WaitAsync(Process process, Task readers)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        await readers.ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task ReadLogAsync(AnonymousPipeServerStream pipe, Action<string> onLogLine)
    {
        using (pipe)
        {
            using var reader = new StreamReader(pipe, new UTF8Encoding(false, false));
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    onLogLine(line);
                }
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
