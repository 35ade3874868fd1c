namespace GenVm.Host.Manager;

/// <summary>How the manager runs executions of the built-in executor version.</summary>
internal enum ExecutionMode
{
    /// <summary>On the manager's own executor, inside the manager process (the default).</summary>
    InProcess,

    /// <summary>One executor process per execution, as the reference manager does (manager.md §4 <c>/genvm/run</c>).</summary>
    Subprocess,
}
