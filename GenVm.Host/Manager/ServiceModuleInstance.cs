namespace GenVm.Host.Manager;

/// <summary>
/// A module that lives in a service provider of its own until it is stopped, with the WebSocket listener that serves
/// it to executor processes when its config has a <c>bind_address</c> (manager.md §1).
/// </summary>
internal sealed class ServiceModuleInstance : IModuleInstance
{
    private readonly IAsyncDisposable _owner;
    private readonly IAsyncDisposable? _server;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wraps <paramref name="service"/>, owned by <paramref name="owner"/>, served by <paramref name="server"/>.</summary>
    public ServiceModuleInstance(object service, IAsyncDisposable owner, IAsyncDisposable? server = null)
    {
        Service = service;
        _owner = owner;
        _server = server;
    }

    /// <inheritdoc/>
    public object Service { get; }

    /// <inheritdoc/>
    public Task Completion => _completion.Task;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // The listener first, so no new session reaches a module that is being disposed.
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        await _owner.DisposeAsync().ConfigureAwait(false);
        _completion.TrySetResult();
    }
}
