using GenVm.Core.Calldata;
using GenVm.Core.LocalNode;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;
using GenVm.Core.Pool;
using GenVm.Core.Supervisor;

namespace GenVm.Host.Manager;

/// <summary>
/// <c>POST /genvm/run/readonly</c>: runs the contract's <c>#get-schema</c> on the built-in executor against an embedded
/// node, with read permission only (nothing writable, no messages, no nondet blocks). The reference answers 500
/// <c>readonly execution is not implemented yet</c>; its unreachable code would make a 1-minute run with zero
/// addresses and return the schema, which is what this does (manager.md §4, §5.5; docs/decisions.md). The run is an
/// execution of the manager's <see cref="ExecutionPool"/>, like <c>/genvm/run</c>'s in-process executions: the same
/// wasm threads, compiled modules and process-wide memory cap.
/// </summary>
/// <param name="pool">The manager's execution pool.</param>
internal sealed class ReadonlyRunner(ExecutionPool pool)
{
    /// <summary>The bound of one readonly run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Runs <c>#get-schema</c> of <paramref name="code"/> deployed at zero address at <paramref name="deploymentTimestamp"/>.</summary>
    /// <returns>The schema: the returned string, or the calldata text of any other returned value.</returns>
    /// <exception cref="ManagerException">The contract did not return (user error, VM error, timeout).</exception>
    public async Task<string> GetSchemaAsync(byte[] code, string deploymentTimestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!MessageDatetime.TryParse(deploymentTimestamp, out var datetime, out var error))
        {
            throw ManagerException.BadRequest("invalid request header \"deployment-timestamp\": " + error);
        }

        var contract = Address.Zero;
        var state = new LocalNodeState();

        // host-protocol.md §12: the code slot holds the LE u32 length at 0 and the code from 4.
        state.Write(contract, SlotId.Code, 0, BitConverter.GetBytes((uint)code.Length));
        state.Write(contract, SlotId.Code, 4, code);
        var calldata = CalldataCodec.Encode(CalldataValue.FromMap((EntryCalldataKey.Method, CalldataValue.FromString(SpecialMethod.GetSchema))));
        var node = new LocalNode(state, contract, calldata, validator: false);
        var message = new TransactionMessage(contract, contract, contract, 0, 0, false, datetime);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        TransactionOutcome outcome;
        try
        {
            outcome = await LocalRun.RunAsync(
                node,
                async (host, token) =>
                {
                    var execution = await pool.RunAsync(new GenVm.Core.Pool.ExecutionRequest { Host = host, Message = message, Permissions = Permission.Read }, token).ConfigureAwait(false);
                    return execution.Outcome ?? throw new IOException(execution.Failure);
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or GenVm.Core.Host.HostProtocolException or InvalidDataException)
        {
            throw new ManagerException("readonly execution failed: " + e.Message);
        }

        var result = outcome.Result;
        if (result.Kind != ResultCode.Return)
        {
            var kind = result.Kind switch
            {
                ResultCode.UserError => "UserError",
                ResultCode.VmError => "VMError",
                _ => "InternalError",
            };
            throw new ManagerException($"readonly execution failed: {kind}: {result.Message}");
        }

        var value = CalldataCodec.Decode(result.ReturnCalldata.Span);
        return value is CalldataString text ? text.Value : CalldataText.Print(value);
    }
}
