using GenVm.Core.Host;
using GenVm.Core.Messages;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;
using GenVm.Core.Runners;

namespace GenVm.Core.Pool;

/// <summary>One transaction for <see cref="ExecutionPool.RunAsync"/> (the launch arguments of host-protocol.md §1.1).</summary>
internal sealed class ExecutionRequest
{
    /// <summary>The transaction message (<c>--message</c>).</summary>
    public required TransactionMessage Message { get; init; }

    /// <summary>The node's address (<c>--host</c>: <c>unix://path</c> or <c>host:port</c>); ignored when <see cref="Host"/> is set.</summary>
    public string? HostAddress { get; init; }

    /// <summary>An already connected host (an embedded node); the caller keeps ownership.</summary>
    public HostConnection? Host { get; init; }

    /// <summary>Where the guests' stdout goes; null captures it into <see cref="ExecutionResult.Stdout"/>.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>Where the guests' stderr goes; null captures it into <see cref="ExecutionResult.Stderr"/>.</summary>
    public Stream? Stderr { get; init; }

    /// <summary><c>--sync</c> (host-protocol.md §8.2).</summary>
    public bool Sync { get; init; }

    /// <summary><c>--debug-mode</c>.</summary>
    public bool DebugMode { get; init; }

    /// <summary><c>--permissions</c>.</summary>
    public string Permissions { get; init; } = Permission.Default;

    /// <summary>The LLM module; null when none is configured.</summary>
    public ILlmModule? Llm { get; init; }

    /// <summary>The web module; null when none is configured.</summary>
    public IWebModule? Web { get; init; }

    /// <summary>The execution's log (sub-VM records, module stats); null logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? Log { get; init; }

    /// <summary>The runner registry; null opens the default one on first use.</summary>
    public RunnerRegistry? Runners { get; init; }
}
