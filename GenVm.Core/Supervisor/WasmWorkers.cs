namespace GenVm.Core.Supervisor;

/// <summary>
/// Reusable wasm threads: the large-stack threads of <see cref="WasmThread"/>, kept after their work so later VMs
/// (of the same or of later executions) skip thread creation. A work item takes an idle thread, else a new one is
/// started, so a VM that blocks on a sub-VM never waits for a free thread (no deadlock however deep the nesting).
/// At most <see cref="MaxIdle"/> threads wait for work; the others end when their work is done. Thread-safe.
/// </summary>
internal sealed class WasmWorkers : IDisposable
{
    private readonly object _gate = new();
    private readonly Stack<Worker> _idle = new();
    private readonly int _stackBytes;
    private bool _disposed;
    private int _started;
    private long _reused;

    /// <summary>Creates the set; no thread starts before the first work item.</summary>
    /// <param name="maxIdle">How many finished threads wait for more work.</param>
    /// <param name="stackBytes">Each thread's stack (style.md §7: large, so the engine's own limits decide, wasm-abi.md §13).</param>
    public WasmWorkers(int maxIdle, int stackBytes = WasmThread.StackBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdle);
        ArgumentOutOfRangeException.ThrowIfLessThan(stackBytes, 1024 * 1024);
        MaxIdle = maxIdle;
        _stackBytes = stackBytes;
    }

    /// <summary>How many finished threads are kept waiting for work.</summary>
    public int MaxIdle { get; }

    /// <summary>Threads started so far.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>Work items that ran on a thread kept from earlier work.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>Runs <paramref name="work"/> on a wasm thread; the task completes with its result or exception.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action Item()
        {
            try
            {
                var result = work();
                return () => completion.SetResult(result);
            }
            catch (Exception e)
            {
                // Crash containment: the exception belongs to the caller, never to the thread.
                return () => completion.SetException(e);
            }
        }

        Worker? worker = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var idle))
            {
                worker = idle;
                _reused++;
            }
        }

        if (worker is not null)
        {
            worker.Hand(Item);
        }
        else
        {
            Interlocked.Increment(ref _started);
            Worker.Start(this, Item, _stackBytes);
        }

        return completion.Task;
    }

    /// <summary>Ends the idle threads; busy ones end after their work.</summary>
    public void Dispose()
    {
        Worker[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var worker in idle)
        {
            worker.Hand(null);
        }
    }

    // Called by a worker whose work is done: true when it should wait for more.
    private bool Park(Worker worker)
    {
        lock (_gate)
        {
            if (_disposed || _idle.Count >= MaxIdle)
            {
                return false;
            }

            _idle.Push(worker);
            return true;
        }
    }

    private sealed class Worker
    {
        private readonly WasmWorkers _owner;
        private readonly SemaphoreSlim _signal = new(0);
        private Func<Action>? _next;

        private Worker(WasmWorkers owner, Func<Action> first)
        {
            _owner = owner;
            _next = first;
        }

        public static void Start(WasmWorkers owner, Func<Action> first, int stackBytes)
        {
            var worker = new Worker(owner, first);
            new Thread(worker.Loop, stackBytes) { IsBackground = true, Name = "genvm-wasm-worker" }.Start();
        }

        public void Hand(Func<Action>? work)
        {
            Volatile.Write(ref _next, work);
            _signal.Release();
        }

        private void Loop()
        {
            var work = Volatile.Read(ref _next);
            while (work is not null)
            {
                var complete = work();

                // Parked before the caller learns the result, so a caller that starts its next VM right away finds
                // this thread idle; work handed meanwhile waits in the semaphore.
                var parked = _owner.Park(this);
                complete();
                if (!parked)
                {
                    break;
                }

                _signal.Wait();
                work = Volatile.Read(ref _next);
            }

            _signal.Dispose();
        }
    }
}
