namespace GenVm.Host.Manager;

/// <summary>
/// The weighted counting semaphore of manager.md §5.1: executions take 1 (sync) or 2 permits before they start and
/// give them back when they end. Waiters are served strictly first come, first served: a waiter that does not fit
/// blocks the ones behind it, so a 2-permit run is never starved by 1-permit runs. Resizing follows <c>POST /permits</c>.
/// </summary>
internal sealed class PermitPool
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private int _available;
    private int _total;
    private int _throttle;

    /// <summary>Creates a pool with <paramref name="total"/> permits.</summary>
    public PermitPool(int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        _total = total;
        _available = total;
    }

    /// <summary>The configured total (<c>GET /permits</c>, <c>status.permits.max</c>).</summary>
    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Permits available right now (<c>status.permits.current</c>).</summary>
    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    /// <summary>Number of waiting requests (executions and throttles).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Waits, in arrival order, until <paramref name="count"/> permits are free, then takes them.</summary>
    /// <exception cref="OperationCanceledException">The wait was cancelled; nothing was taken.</exception>
    public Task AcquireAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Waiter waiter;
        lock (_lock)
        {
            if (_queue.Count == 0 && _available >= count)
            {
                _available -= count;
                return Task.CompletedTask;
            }

            waiter = new Waiter(count);
            waiter.Node = _queue.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        }

        return waiter.Completion.Task;
    }

    /// <summary>Gives <paramref name="count"/> permits back and wakes the waiters at the head that now fit.</summary>
    public void Release(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<Waiter> woken;
        lock (_lock)
        {
            _available += count;
            woken = Drain();
        }

        Complete(woken);
    }

    /// <summary>
    /// <c>POST /permits</c> (manager.md §4): first gives back a throttle held from an earlier decrease; then a value
    /// below 2 is refused (the total is returned unchanged), an increase adds permits at once, and a decrease by
    /// <c>d</c> waits in line until <c>d</c> permits can be taken and keeps them as the new throttle.
    /// </summary>
    /// <returns>The total after the call, and whether the value was accepted.</returns>
    public async Task<(int Total, bool Accepted)> SetTotalAsync(int permits, CancellationToken cancellationToken)
    {
        int decrease;
        List<Waiter> woken;
        lock (_lock)
        {
            // The throttle is released even when the request is refused afterwards.
            _total += _throttle;
            _available += _throttle;
            _throttle = 0;
            woken = Drain();
            if (permits < 2)
            {
                decrease = -1;
            }
            else if (permits >= _total)
            {
                _available += permits - _total;
                _total = permits;
                woken.AddRange(Drain());
                decrease = 0;
            }
            else
            {
                decrease = _total - permits;
            }
        }

        Complete(woken);
        if (decrease < 0)
        {
            return (Total, false);
        }

        if (decrease > 0)
        {
            await AcquireAsync(decrease, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                _total -= decrease;
                _throttle += decrease;
            }
        }

        return (Total, true);
    }

    private List<Waiter> Drain()
    {
        var woken = new List<Waiter>();
        while (_queue.First is { } head && head.Value.Count <= _available)
        {
            _available -= head.Value.Count;
            _queue.RemoveFirst();
            head.Value.Node = null;
            woken.Add(head.Value);
        }

        return woken;
    }

    private static void Complete(List<Waiter> woken)
    {
        foreach (var waiter in woken)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult();
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        List<Waiter> woken;
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                // Already granted: the permits belong to the caller now.
                return;
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;

            // The removed head may have been blocking smaller waiters behind it.
            woken = Drain();
        }

        waiter.Completion.TrySetCanceled(cancellationToken);
        Complete(woken);
    }

    private sealed class Waiter(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
