namespace GenVm.Core.Runners;

/// <summary><c>{"When": {"cond": "det"|"nondet", "action"}}</c>: runs the action only in a VM of that determinism (runners.md §4).</summary>
internal sealed record WhenAction(bool Deterministic, RunnerAction Action) : RunnerAction;
