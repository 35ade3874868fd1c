using System.Diagnostics.CodeAnalysis;

namespace GenVm.Core.Host;

/// <summary>
/// The answer to <c>get_leader_nondet_result</c> (host-protocol.md §8.2): either "you are the leader"
/// (<c>i_am_leader</c>) or the leader's result, which puts the executor in validator mode.
/// </summary>
internal sealed class LeaderNondetAnswer
{
    private LeaderNondetAnswer(NondetResult? leaderResult) => LeaderResult = leaderResult;

    /// <summary>The answer <c>i_am_leader</c>: run the leader function now.</summary>
    public static LeaderNondetAnswer IAmLeader { get; } = new(null);

    /// <summary>True when the host answered <c>i_am_leader</c>.</summary>
    [MemberNotNullWhen(false, nameof(LeaderResult))]
    public bool IsLeader => LeaderResult is null;

    /// <summary>The leader's result (validator mode); null in leader mode.</summary>
    public NondetResult? LeaderResult { get; }

    /// <summary>An answer carrying the leader's result.</summary>
    public static LeaderNondetAnswer FromLeaderResult(NondetResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new LeaderNondetAnswer(result);
    }
}
