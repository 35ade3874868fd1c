using System.Net.Sockets;
using GenVm.Core.Protocol;

namespace GenVm.Core.Host;

/// <content>The exchange machinery: locking, sending, buffered exact reads with bounds, fault tracking.</content>
internal sealed partial class HostConnection
{
    /// <summary>Reads the answer of one exchange; runs under the lock with the exchange's token.</summary>
    private delegate ValueTask<T> AnswerReader<T>(HostConnection connection, HostMethod method, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one exchange: takes the lock, sends <paramref name="request"/> (flushed as a whole), then reads the
    /// answer. Any failure other than a host error code or an unknown error id faults the connection.
    /// </summary>
    private async Task<T> ExchangeAsync<T>(HostMethod method, ReadOnlyMemory<byte> request, AnswerReader<T> readAnswer, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        CancellationTokenSource? timeoutSource = null;
        CancellationTokenSource? linkedSource = null;
        try
        {
            ThrowIfUnusable(method);
            var token = cancellationToken;
            if (_options.ExchangeTimeout is { } timeout)
            {
                timeoutSource = new CancellationTokenSource(timeout, _options.TimeProvider);
                linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
                token = linkedSource.Token;
            }

            try
            {
                ThrowIfUnsolicitedData(method);
                await SendAsync(request, token).ConfigureAwait(false);
                return await readAnswer(this, method, token).ConfigureAwait(false);
            }
            // An unknown error id (host-protocol.md §4) is one whole octet: the stream stays in step, and the executor
            // still reports the resulting internal error with consume_result (§7.3), so it does not fault.
            catch (Exception e) when (e is not HostErrorException and not HostProtocolException { Kind: HostProtocolErrorKind.InvalidErrorCode })
            {
                var translated = Translate(e, method, cancellationToken, timeoutSource);
                _fault = translated as HostProtocolException
                    ?? new HostProtocolException(HostProtocolErrorKind.Faulted, method, $"{method.ToSpecName()} was interrupted: {e.Message}", e);
                if (ReferenceEquals(translated, e))
                {
                    throw;
                }

                throw translated;
            }
        }
        finally
        {
            linkedSource?.Dispose();
            timeoutSource?.Dispose();
            _lock.Release();
        }
    }

    private static Exception Translate(Exception e, HostMethod method, CancellationToken callerToken, CancellationTokenSource? timeoutSource)
    {
        switch (e)
        {
            // A timeout counts only if the timeout fired and the caller did not cancel (style brief §6).
            case OperationCanceledException when timeoutSource is { IsCancellationRequested: true } && !callerToken.IsCancellationRequested:
                return new HostProtocolException(HostProtocolErrorKind.Timeout, method, $"host did not answer {method.ToSpecName()} in time", e);
            case SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } socketError:
                return new HostProtocolException(HostProtocolErrorKind.Disconnected, method, $"host closed the connection during {method.ToSpecName()}: {socketError.Message}", e);
            case SocketException socketError:
                return new HostProtocolException(HostProtocolErrorKind.ConnectionFailed, method, $"socket error during {method.ToSpecName()}: {socketError.Message}", e);
            case ObjectDisposedException:
                return new HostProtocolException(HostProtocolErrorKind.ConnectionFailed, method, $"the host connection was closed during {method.ToSpecName()}", e);
            default:
                return e;
        }
    }

    private void ThrowIfUnusable(HostMethod method)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is { } fault)
        {
            throw new HostProtocolException(
                HostProtocolErrorKind.Faulted,
                method,
                $"the host connection is unusable after an earlier failure: {fault.Message}",
                fault);
        }

        if (_finished)
        {
            throw new HostProtocolException(
                HostProtocolErrorKind.Finished,
                method,
                $"{method.ToSpecName()} after consume_result: the executor stops talking to the host once the result is acknowledged");
        }
    }

    // The host never speaks unasked (host-protocol.md §2), so octets waiting before a request were sent by a
    // broken host, e.g. an answer to consume_fuel; reading them as the next answer would desynchronise the stream.
    private void ThrowIfUnsolicitedData(HostMethod method)
    {
        var pending = (_receiveEnd - _receiveStart) + _socket.Available;
        if (pending > 0)
        {
            throw new HostProtocolException(
                HostProtocolErrorKind.UnexpectedData,
                method,
                $"host sent {pending} octet(s) that no request asked for (noticed before {method.ToSpecName()})");
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        while (!request.IsEmpty)
        {
            var sent = await _socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            request = request[sent..];
        }
    }

    /// <summary>Reads the error byte and throws <see cref="HostErrorException"/> unless it is <c>ok</c>.</summary>
    private async ValueTask ReadOkAsync(HostMethod method, CancellationToken cancellationToken)
    {
        var error = await ReadErrorAsync(method, cancellationToken).ConfigureAwait(false);
        if (error != HostError.Ok)
        {
            throw new HostErrorException(method, error);
        }
    }

    private async ValueTask<HostError> ReadErrorAsync(HostMethod method, CancellationToken cancellationToken)
    {
        var octet = new byte[1];
        await ReadExactAsync(octet, method, "the error byte", cancellationToken).ConfigureAwait(false);
        return HostResponseReader.ParseError(octet[0], method);
    }

    /// <summary>Reads a <c>bytes</c> field: a u32 length, checked against the limit, then that many octets.</summary>
    private async ValueTask<byte[]> ReadBytesFieldAsync(HostMethod method, string what, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        await ReadExactAsync(prefix, method, $"the length of {what}", cancellationToken).ConfigureAwait(false);
        var length = HostResponseReader.ReadU32(prefix);
        return await ReadBlobAsync(method, length, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads exactly <paramref name="length"/> octets into a new array, growing it only as octets arrive.</summary>
    private async ValueTask<byte[]> ReadBlobAsync(HostMethod method, uint length, string what, CancellationToken cancellationToken)
    {
        CheckAnswerLength(method, length, what);
        if (length <= EagerAllocationLimit)
        {
            var result = length == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)length);
            await ReadExactAsync(result, method, what, cancellationToken).ConfigureAwait(false);
            return result;
        }

        var buffer = GC.AllocateUninitializedArray<byte>(EagerAllocationLimit);
        var filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, length));
            }

            var read = await ReadSomeAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Truncated(method, what, filled, length);
            }

            filled += read;
        }

        return buffer;
    }

    private void CheckAnswerLength(HostMethod method, uint length, string what)
    {
        if (length > (uint)_options.MaxAnswerLength)
        {
            throw new HostProtocolException(
                HostProtocolErrorKind.AnswerTooLarge,
                method,
                $"{what} of {method.ToSpecName()} is {length} octets, more than the limit of {_options.MaxAnswerLength}");
        }
    }

    private async ValueTask ReadExactAsync(Memory<byte> destination, HostMethod method, string what, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = await ReadSomeAsync(destination[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Truncated(method, what, filled, (uint)destination.Length);
            }

            filled += read;
        }
    }

    /// <summary>Reads at least one octet (0 only at end of stream), serving buffered octets first.</summary>
    private async ValueTask<int> ReadSomeAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (_receiveEnd == _receiveStart)
        {
            if (destination.Length >= _receive.Length)
            {
                return await _socket.ReceiveAsync(destination, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }

            _receiveStart = 0;
            _receiveEnd = await _socket.ReceiveAsync(_receive, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (_receiveEnd == 0)
            {
                return 0;
            }
        }

        var count = Math.Min(_receiveEnd - _receiveStart, destination.Length);
        _receive.AsSpan(_receiveStart, count).CopyTo(destination.Span);
        _receiveStart += count;
        return count;
    }

    private static HostProtocolException Truncated(HostMethod method, string what, int got, uint expected)
        => new(
            HostProtocolErrorKind.Disconnected,
            method,
            $"host closed the connection while sending {what} of {method.ToSpecName()} (got {got} of {expected} octets)");
}
