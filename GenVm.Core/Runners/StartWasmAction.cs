namespace GenVm.Core.Runners;

/// <summary><c>{"StartWasm": path}</c>: freezes the environment and names the module whose entry runs (runners.md §4).</summary>
internal sealed record StartWasmAction(string Path) : RunnerAction;
