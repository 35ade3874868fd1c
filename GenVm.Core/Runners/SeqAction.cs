namespace GenVm.Core.Runners;

/// <summary><c>{"Seq": [...]}</c>: runs actions in order until one of them started the VM (runners.md §4).</summary>
internal sealed record SeqAction(IReadOnlyList<RunnerAction> Actions) : RunnerAction;
