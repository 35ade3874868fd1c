namespace GenVm.Core.Runners;

/// <summary><c>{"Depends": "id:hash"}</c>: runs another runner's runner.json once per VM (runners.md §4).</summary>
internal sealed record DependsAction(string Runner) : RunnerAction;
