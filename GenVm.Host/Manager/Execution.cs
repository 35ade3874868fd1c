using System.Text;
using System.Text.Json.Nodes;

namespace GenVm.Host.Manager;

/// <summary>The bookkeeping of one execution (manager.md §4, §5.4).</summary>
internal sealed class Execution
{
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _log = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonObject? _status;

    /// <summary>Creates the record of a started execution.</summary>
    public Execution(ulong id, string version, int permits, bool captureOutput, DateTimeOffset startedAt, DateTimeOffset strictDeadline)
    {
        Id = id;
        Version = version;
        Permits = permits;
        CaptureOutput = captureOutput;
        StartedAt = startedAt;
        StrictDeadline = strictDeadline;
        Stdout = captureOutput ? Stream.Synchronized(new MemoryStream()) : Stream.Null;
        Stderr = captureOutput ? Stream.Synchronized(new MemoryStream()) : Stream.Null;
    }

    /// <summary>The <c>genvm_id</c>.</summary>
    public ulong Id { get; }

    /// <summary>The executor version (or the reroute directory name).</summary>
    public string Version { get; }

    /// <summary>Permits held while running: 1 for sync runs, else 2.</summary>
    public int Permits { get; }

    /// <summary>Whether stdout, stderr and the log are kept.</summary>
    public bool CaptureOutput { get; }

    /// <summary>When the execution was started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When it is killed if still running.</summary>
    public DateTimeOffset StrictDeadline { get; }

    /// <summary>The executor's stdout sink.</summary>
    public Stream Stdout { get; }

    /// <summary>The executor's stderr sink.</summary>
    public Stream Stderr { get; }

    /// <summary>The running process; set once started.</summary>
    public IExecutionProcess? Process { get; set; }

    /// <summary>The exit code once finished.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Completes once the status record exists.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Whether the exit has been observed (<c>has_result</c>).</summary>
    public bool HasResult
    {
        get
        {
            lock (_lock)
            {
                return _status is not null;
            }
        }
    }

    /// <summary>Whether the execution was already dropped from the table (fetched or collected).</summary>
    public bool Removed { get; set; }

    /// <summary>Adds a record to the captured log.</summary>
    public void AddLog(JsonObject record)
    {
        lock (_lock)
        {
            _log.Add(record);
        }
    }

    /// <summary>
    /// Builds the status record once the process has ended and its readers finished (manager.md §4
    /// <c>GET /genvm/{id}</c>): <c>finished_at</c> in Unix milliseconds, captured stdout/stderr (UTF-8 with replacement)
    /// and the log, or <c>""</c>/<c>null</c> when output is not captured.
    /// </summary>
    public void Finish(int exitCode, DateTimeOffset finishedAt)
    {
        var status = new JsonObject
        {
            ["finished_at"] = finishedAt.ToUnixTimeMilliseconds(),
            ["stdout"] = CaptureOutput ? Text(Stdout) : "",
            ["stderr"] = CaptureOutput ? Text(Stderr) : "",
        };
        lock (_lock)
        {
            status["genvm_log"] = CaptureOutput ? new JsonArray([.. _log]) : null;
            ExitCode = exitCode;
            _status = status;
        }

        _completion.TrySetResult();
    }

    /// <summary>A copy of the status record, or null while running.</summary>
    public JsonObject? StatusSnapshot()
    {
        lock (_lock)
        {
            return _status?.DeepClone().AsObject();
        }
    }

    private static string Text(Stream stream)
    {
        // Stream.Synchronized wraps the MemoryStream; ToArray needs the inner one, so copy through the wrapper.
        lock (stream)
        {
            stream.Position = 0;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return new UTF8Encoding(false, false).GetString(copy.GetBuffer(), 0, (int)copy.Length);
        }
    }
}
