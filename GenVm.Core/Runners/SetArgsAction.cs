namespace GenVm.Core.Runners;

/// <summary><c>{"SetArgs": [...]}</c>: appends process arguments (runners.md §4).</summary>
internal sealed record SetArgsAction(IReadOnlyList<string> Args) : RunnerAction;
