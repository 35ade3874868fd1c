namespace GenVm.Host.Manager;

/// <summary>A module slot's state as <c>GET /status</c> shows it (manager.md §5.3).</summary>
internal enum ModuleState
{
    /// <summary>Not registered.</summary>
    Stopped,

    /// <summary>Registered and serving.</summary>
    Running,

    /// <summary>Still registered, but its cancellation already fired.</summary>
    Stopping,
}
