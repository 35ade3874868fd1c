namespace GenVm.Core.Runners;

/// <summary>One <c>runner.json</c> action (runners.md §4). Parsed by <see cref="RunnerActionParser"/>, executed by <see cref="RunnerLoader"/>.</summary>
internal abstract record RunnerAction;
