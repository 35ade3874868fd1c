namespace GenVm.Core.Runners;

/// <summary><c>{"LinkWasm": path}</c>: a helper module registered under its own name (runners.md §4).</summary>
internal sealed record LinkWasmAction(string Path) : RunnerAction;
