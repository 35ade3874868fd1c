namespace GenVm.Host.Manager;

/// <summary>The body of <c>POST /genvm/run</c> (manager.md §4).</summary>
internal sealed class ExecutionRequest
{
    /// <summary><c>major</c>: the executor major version to run.</summary>
    public required uint Major { get; init; }

    /// <summary><c>message</c>, re-serialized compactly (passed as <c>--message</c>).</summary>
    public required string MessageJson { get; init; }

    /// <summary><c>is_sync</c>: adds <c>--sync</c>, costs 1 permit instead of 2.</summary>
    public required bool IsSync { get; init; }

    /// <summary><c>capture_output</c>.</summary>
    public required bool CaptureOutput { get; init; }

    /// <summary><c>max_execution_minutes</c> (default 20).</summary>
    public ulong MaxExecutionMinutes { get; init; } = 20;

    /// <summary><c>host_data</c>: JSON text passed as <c>--host-data</c>.</summary>
    public required string HostData { get; init; }

    /// <summary><c>timestamp</c>: only used to choose the executor version (§5.2).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary><c>host</c>: the host socket URI, passed as <c>--host</c>.</summary>
    public required string Host { get; init; }

    /// <summary><c>extra_args</c>: inserted right after <c>run</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The arguments after the executor's global options: <c>run</c> and the rest, in the spec's order.</summary>
    public IReadOnlyList<string> RunArguments(ulong genvmId)
    {
        var words = new List<string>(ExtraArgs);
        if (IsSync)
        {
            words.Add("--sync");
        }

        words.AddRange(["--host-data", HostData, "--host", Host, "--message", MessageJson, "--cookie=" + genvmId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return words;
    }
}
