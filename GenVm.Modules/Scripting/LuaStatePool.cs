using System.Collections.Concurrent;

namespace GenVm.Modules.Scripting;

/// <summary>
/// The module's Lua states (modules.md §5.1 <c>vm_count</c>). Unlike the reference, which lets connections share a
/// state concurrently, a state here serves one execution at a time: a call waits for a free state
/// (docs/decisions.md "Lua: one state per execution at a time"). States are created on demand up to the bound.
/// </summary>
internal sealed class LuaStatePool : IAsyncDisposable
{
    private readonly LuaScriptSource _source;
    private readonly LuaBindings _bindings;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<LuaScriptState> _idle = [];
    private readonly int _size;
    private int _created;
    private bool _disposed;

    public LuaStatePool(LuaScriptSource source, LuaBindings bindings, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _source = source;
        _bindings = bindings;
        _size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>States created so far (tests).</summary>
    internal int Created => Volatile.Read(ref _created);

    /// <summary>
    /// Creates one state and keeps it idle, so a broken script fails at start-up rather than on the first request.
    /// </summary>
    /// <exception cref="LuaScriptException">The script does not load.</exception>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_idle.IsEmpty)
            {
                _idle.Add(await CreateAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Runs <paramref name="entry"/> on a free state (see <see cref="LuaScriptState.CallAsync"/>).</summary>
    public async Task<object?> CallAsync(string entry, IReadOnlyList<object?> arguments, LuaExecution execution)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(execution.CancellationToken).ConfigureAwait(false);
        LuaScriptState? state = null;
        try
        {
            state = _idle.TryTake(out var idle) ? idle : await CreateAsync(execution.CancellationToken).ConfigureAwait(false);
            return await state.CallAsync(entry, arguments, execution).ConfigureAwait(false);
        }
        finally
        {
            if (state is not null)
            {
                if (state.IsReusable && !_disposed)
                {
                    _idle.Add(state);
                }
                else
                {
                    state.Dispose();
                    Interlocked.Decrement(ref _created);
                }
            }

            _slots.Release();
        }
    }

    private async Task<LuaScriptState> CreateAsync(CancellationToken cancellationToken)
    {
        var state = await LuaScriptState.CreateAsync(_source, _bindings, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _created);
        return state;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Wait for running calls to hand their states back, then close every state.
        for (var i = 0; i < _size; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        while (_idle.TryTake(out var state))
        {
            state.Dispose();
        }

        _slots.Dispose();
    }
}
