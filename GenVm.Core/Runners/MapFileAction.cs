namespace GenVm.Core.Runners;

/// <summary><c>{"MapFile": {"file", "to"}}</c>: maps one member, or every member below a <c>/</c>-ending prefix (runners.md §4).</summary>
internal sealed record MapFileAction(string File, string To) : RunnerAction;
