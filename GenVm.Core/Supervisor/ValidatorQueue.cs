using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Queued validator VMs (wasm-abi.md §7, host-protocol.md §8.4): they run one at a time in submission order,
/// concurrently with the rest of the transaction. A validator agrees iff it returns calldata <c>true</c> (<c>10</c>);
/// after the first disagreement (the smallest call number, since call numbers grow with submission) or an internal
/// error the remaining validators are skipped.
/// </summary>
internal sealed class ValidatorQueue
{
    private static readonly byte[] TrueCalldata = [0x10];

    private readonly object _gate = new();
    private Task _tail = Task.CompletedTask;
    private uint? _disagreement;
    private string? _internalError;

    /// <summary>The smallest disagreeing call number once <see cref="DrainAsync"/> completed.</summary>
    public uint? Disagreement
    {
        get
        {
            lock (_gate)
            {
                return _disagreement;
            }
        }
    }

    /// <summary>The error chain of a validator that failed inside the executor, if any.</summary>
    public string? InternalError
    {
        get
        {
            lock (_gate)
            {
                return _internalError;
            }
        }
    }

    /// <summary>Queues the validator of nondet call <paramref name="callNo"/>; <paramref name="run"/> runs it on a wasm thread.</summary>
    public void Enqueue(uint callNo, Func<Task<ContractResult>> run)
    {
        lock (_gate)
        {
            _tail = _tail.ContinueWith(_ => RunOneAsync(callNo, run), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Waits until every queued validator ran or was skipped.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            Task tail;
            lock (_gate)
            {
                tail = _tail;
            }

            await tail.ConfigureAwait(false);
            lock (_gate)
            {
                if (ReferenceEquals(tail, _tail))
                {
                    return;
                }
            }
        }
    }

    private async Task RunOneAsync(uint callNo, Func<Task<ContractResult>> run)
    {
        lock (_gate)
        {
            if (_disagreement is not null || _internalError is not null)
            {
                return;
            }
        }

        ContractResult result;
        try
        {
            result = await run().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Crash containment: a validator's unexpected failure ends the transaction as an internal error.
            result = ContractResult.InternalError(e.GetType().Name + ": " + e.Message);
        }

        lock (_gate)
        {
            if (result.Kind == ResultCode.InternalError)
            {
                _internalError ??= result.Message;
            }
            else if (result.Kind != ResultCode.Return || !result.ReturnCalldata.Span.SequenceEqual(TrueCalldata))
            {
                _disagreement ??= callNo;
            }
        }
    }
}
