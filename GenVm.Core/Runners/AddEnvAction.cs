namespace GenVm.Core.Runners;

/// <summary><c>{"AddEnv": {"name", "val"}}</c>: sets a variable after <c>${NAME}</c> / <c>${ENV[NAME]}</c> substitution (runners.md §4).</summary>
internal sealed record AddEnvAction(string Name, string Value) : RunnerAction;
