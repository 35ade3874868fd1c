namespace GenVm.Core.Runners;

/// <summary><c>{"With": {"runner", "action"}}</c>: runs an action against another archive without its runner.json (runners.md §4).</summary>
internal sealed record WithAction(string Runner, RunnerAction Action) : RunnerAction;
