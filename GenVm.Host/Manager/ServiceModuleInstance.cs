namespace GenVm.Host.Manager;

/// <summary>A module that lives in a service provider of its own until it is stopped.</summary>
internal sealed class ServiceModuleInstance : IModuleInstance
{
    private readonly IAsyncDisposable _owner;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wraps <paramref name="service"/>, owned by <paramref name="owner"/>.</summary>
    public ServiceModuleInstance(object service, IAsyncDisposable owner)
    {
        Service = service;
        _owner = owner;
    }

    /// <inheritdoc/>
    public object Service { get; }

    /// <inheritdoc/>
    public Task Completion => _completion.Task;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync().ConfigureAwait(false);
        _completion.TrySetResult();
    }
}
