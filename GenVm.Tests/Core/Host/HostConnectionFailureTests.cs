using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Host;

/// <summary>Host error codes (host-protocol.md §4) and broken hosts: disconnects, truncated/oversized answers, cancellation.</summary>
[TestFixture]
public sealed class HostConnectionFailureTests
{
    private static readonly Address Account = new(new byte[20]);
    private static readonly byte[] Slot = new byte[32];

    private static async Task<(TestHost Host, HostConnection Client)> OpenAsync(HostConnectionOptions? options = null)
    {
        var host = TestHost.StartUnix();
        var connect = HostConnection.ConnectAsync(host.Uri, options, CancellationToken.None);
        await host.AcceptAsync().Guarded();
        return (host, await connect.Guarded());
    }

    /// <summary>Every method that answers with an error byte, started against <paramref name="client"/>.</summary>
    private static Task Start(HostConnection client, HostMethod method) => method switch
    {
        HostMethod.GetCalldata => client.GetCalldataAsync(CancellationToken.None),
        HostMethod.StorageRead => client.StorageReadAsync(StorageType.Default, Account, Slot, 0, 4, CancellationToken.None),
        HostMethod.StorageWrite => client.StorageWriteAsync(Slot, 0, new byte[] { 1 }, CancellationToken.None),
        HostMethod.GetLeaderNondetResult => client.GetLeaderNondetResultAsync(0, CancellationToken.None),
        HostMethod.PostNondetResult => client.PostNondetResultAsync(0, new NondetResult(ResultCode.Return, new byte[] { 0 }), CancellationToken.None),
        HostMethod.PostMessage => client.PostMessageAsync(Account, new byte[] { 0 }, MessageDelivery.Accepted, 0, CancellationToken.None),
        HostMethod.PostEvent => client.PostEventAsync([], new byte[] { 6 }, CancellationToken.None),
        HostMethod.DeployContract => client.DeployContractAsync(new byte[] { 0 }, new byte[] { 0 }, MessageDelivery.Accepted, 0, 0, CancellationToken.None),
        HostMethod.EthCall => client.EthCallAsync(Account, new byte[] { 0 }, CancellationToken.None),
        HostMethod.EthSend => client.EthSendAsync(Account, new byte[] { 0 }, 0, CancellationToken.None),
        HostMethod.GetBalance => client.GetBalanceAsync(Account, CancellationToken.None),
        HostMethod.RemainingFuelAsGen => client.RemainingFuelAsGenAsync(CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static IEnumerable<TestCaseData> ErrorCases()
    {
        HostMethod[] answering =
        [
            HostMethod.GetCalldata, HostMethod.StorageRead, HostMethod.StorageWrite, HostMethod.PostNondetResult,
            HostMethod.PostMessage, HostMethod.PostEvent, HostMethod.DeployContract, HostMethod.EthCall,
            HostMethod.EthSend, HostMethod.GetBalance, HostMethod.RemainingFuelAsGen,
        ];
        foreach (var method in answering)
        {
            foreach (var error in new[] { HostError.Absent, HostError.Forbidden, HostError.IAmLeader, HostError.OutOfStorageGas })
            {
                yield return new TestCaseData(method, error);
            }
        }

        yield return new TestCaseData(HostMethod.GetLeaderNondetResult, HostError.Absent);
        yield return new TestCaseData(HostMethod.GetLeaderNondetResult, HostError.Forbidden);
        yield return new TestCaseData(HostMethod.GetLeaderNondetResult, HostError.OutOfStorageGas);
    }

    [TestCaseSource(nameof(ErrorCases))]
    public async Task Exchange_HostErrorCode_ThrowsHostErrorAndStaysUsable(HostMethod method, HostError error)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = Start(client, method);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendAsync([(byte)error]);

        var thrown = await Assert.ThrowsAsync<HostErrorException>(() => call.Guarded());
        Assert.That(request.Method, Is.EqualTo((byte)method));
        Assert.That(thrown!.Error, Is.EqualTo(error));
        Assert.That(thrown.Method, Is.EqualTo(method));
        Assert.That(thrown.VmErrorMessage, Is.EqualTo(error switch
        {
            HostError.Absent => "absent",
            HostError.Forbidden => "forbidden",
            HostError.IAmLeader => "i_am_leader",
            _ => "out_of_storage_gas",
        }));

        // The error byte completed the exchange, so the stream is still in step.
        Assert.That(client.IsFaulted, Is.False);
        var next = client.GetBalanceAsync(Account, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00" + new string('0', 64));
        Assert.That(await next.Guarded(), Is.EqualTo(System.Numerics.BigInteger.Zero));
    }

    [TestCase((byte)5)]
    [TestCase((byte)255)]
    public async Task Exchange_UnknownErrorId_ThrowsInvalidErrorCodeAndStaysUsable(byte id)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.StorageWriteAsync(Slot, 0, new byte[] { 1 }, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendAsync([id]);

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.InvalidErrorCode));
        Assert.That(thrown.Message, Is.EqualTo($"invalid error id {id}"));

        // host-protocol.md §4, §7.3: the octet was the whole answer, so the internal error can still be reported.
        Assert.That(client.IsFaulted, Is.False);
        var report = client.ConsumeResultAsync(new byte[] { 0x02, 0x78 }, CancellationToken.None);
        Assert.That((await host.ReadRequestAsync().Guarded()).RawHex, Is.EqualTo("03020000000278"));
        await host.SendAsync([0]);
        await report.Guarded();
    }

    [Test]
    public async Task Exchange_HostDisconnectsMidAnswer_ThrowsDisconnectedThenFaulted()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.StorageReadAsync(StorageType.Default, Account, Slot, 0, 10, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 010203");
        host.Disconnect();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(thrown.Message, Does.Contain("got 3 of 10 octets"));

        var later = await Assert.ThrowsAsync<HostProtocolException>(() => client.GetCalldataAsync(CancellationToken.None).Guarded());
        Assert.That(later!.Kind, Is.EqualTo(HostProtocolErrorKind.Faulted));
        Assert.That(later.InnerException, Is.SameAs(thrown));
    }

    [Test]
    public async Task Exchange_HostDisconnectsBeforeAnswer_ThrowsDisconnected()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetCalldataAsync(CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        host.Disconnect();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(thrown.Message, Does.Contain("error byte"));
    }

    [Test]
    public async Task Exchange_HostGoneBeforeRequest_ThrowsDisconnected()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        host.Disconnect();

        // consume_fuel has no answer, so only the failing send can report the lost host.
        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => client.ConsumeFuelAsync(1, CancellationToken.None).Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(client.IsFaulted, Is.True);
    }

    [Test]
    public async Task GetLeaderNondetResultAsync_EveryTruncation_ThrowsDisconnected([Range(0, 8)] int kept)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var answer = Hex.Parse("00 04000000 01616263");
        var call = client.GetLeaderNondetResultAsync(2, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendAsync(answer[..kept]);
        host.Disconnect();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
    }

    [Test]
    public async Task Exchange_TruncatedLengthPrefix_ThrowsDisconnected()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.EthCallAsync(Account, new byte[] { 1 }, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 0500");
        host.Disconnect();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(thrown.Message, Does.Contain("length of the return data").And.Contain("got 2 of 4"));
    }

    [Test]
    public async Task Exchange_OversizedLength_ThrowsAnswerTooLargeWithoutWaitingForData()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        // The host announces 4 GiB - 1 and then stays silent with the connection open: the client must not wait.
        var call = client.GetCalldataAsync(CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 ffffffff");

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.AnswerTooLarge));
        Assert.That(thrown.Message, Does.Contain("4294967295"));
        Assert.That(client.IsFaulted, Is.True);
    }

    [Test]
    public async Task Exchange_LengthAboveConfiguredLimit_ThrowsAnswerTooLarge()
    {
        var (host, client) = await OpenAsync(new HostConnectionOptions { MaxAnswerLength = 16 });
        await using var _ = host;
        using var __ = client;

        var call = client.GetLeaderNondetResultAsync(1, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 11000000");

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.AnswerTooLarge));
    }

    [Test]
    public async Task StorageReadAsync_RequestAboveLimit_ThrowsWithoutSending()
    {
        var (host, client) = await OpenAsync(new HostConnectionOptions { MaxAnswerLength = 16 });
        await using var _ = host;
        using var __ = client;

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(
            () => client.StorageReadAsync(StorageType.Default, Account, Slot, 0, 17, CancellationToken.None).Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.AnswerTooLarge));
        Assert.That(client.IsFaulted, Is.False);

        // Nothing was sent: the next request the host sees is the next call's.
        var next = client.RemainingFuelAsGenAsync(CancellationToken.None);
        Assert.That((await host.ReadRequestAsync().Guarded()).RawHex, Is.EqualTo("0d"));
        await host.SendHexAsync("00 0100000000000000");
        Assert.That(await next.Guarded(), Is.EqualTo(1UL));
    }

    [Test]
    public async Task Exchange_LargeAnswer_IsReadCompletely()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var payload = new byte[(3 * 1024 * 1024) + 17];
        new Random(7).NextBytes(payload);
        var call = client.GetCalldataAsync(CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        var header = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1), payload.Length);
        await host.SendAsync(header);
        await host.SendAsync(payload);

        var result = await call.Guarded();
        // SequenceEqual: NUnit's element-wise collection comparison is slow on megabytes.
        Assert.That(result, Has.Length.EqualTo(payload.Length));
        Assert.That(result.AsSpan().SequenceEqual(payload), Is.True);
    }

    [Test]
    public async Task Exchange_LargeAnswerTruncated_ThrowsDisconnectedWithProgress()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.EthCallAsync(Account, new byte[] { 1 }, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 00000001"); // 16 MiB announced
        await host.SendAsync(new byte[2 * 1024 * 1024]);
        host.Disconnect();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(thrown.Message, Does.Contain("got 2097152 of 16777216 octets"));
    }

    [Test]
    public async Task Exchange_Cancelled_ThrowsOperationCanceledAndFaults()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        using var cts = new CancellationTokenSource();
        var call = client.GetCalldataAsync(cts.Token);
        await host.ReadRequestAsync().Guarded();
        await cts.CancelAsync();

        Assert.That(async () => await call.Guarded(), Throws.InstanceOf<OperationCanceledException>());
        var later = await Assert.ThrowsAsync<HostProtocolException>(() => client.GetCalldataAsync(CancellationToken.None).Guarded());
        Assert.That(later!.Kind, Is.EqualTo(HostProtocolErrorKind.Faulted));
    }

    [Test]
    public async Task Exchange_AlreadyCancelledToken_DoesNotSendOrFault()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        Assert.That(
            async () => await client.GetCalldataAsync(new CancellationToken(canceled: true)).Guarded(),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(client.IsFaulted, Is.False);
        Assert.That(host.Available, Is.Zero);
    }

    [Test]
    public async Task Exchange_NoAnswerWithinTimeout_ThrowsTimeout()
    {
        var time = new ManualTimeProvider();
        var (host, client) = await OpenAsync(new HostConnectionOptions { ExchangeTimeout = TimeSpan.FromSeconds(5), TimeProvider = time });
        await using var _ = host;
        using var __ = client;

        var call = client.GetBalanceAsync(Account, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.That(call.IsCompleted, Is.False);
        time.Advance(TimeSpan.FromSeconds(1));

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.Timeout));
        Assert.That(client.IsFaulted, Is.True);
    }

    [Test]
    public async Task Exchange_AnswerToConsumeFuel_ThrowsUnexpectedDataOnNextCall()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        await client.ConsumeFuelAsync(1, CancellationToken.None).Guarded();
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00"); // a broken host answers a method that has no answer

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => client.RemainingFuelAsGenAsync(CancellationToken.None).Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.UnexpectedData));
        Assert.That(host.Available, Is.Zero, "the request must not have been sent");
    }

    [Test]
    public async Task Exchange_AnswerLongerThanLayout_ThrowsUnexpectedDataOnNextCall()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetBalanceAsync(Account, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00" + new string('0', 64) + "99"); // one octet too many, in one write
        await call.Guarded();

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => client.GetCalldataAsync(CancellationToken.None).Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.UnexpectedData));
    }

    [Test]
    public async Task Exchange_ConcurrentCalls_AreSerialized()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var first = client.GetBalanceAsync(new Address(Hex.Parse(new string('1', 40))), CancellationToken.None);
        var second = client.GetBalanceAsync(new Address(Hex.Parse(new string('2', 40))), CancellationToken.None);

        var a = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00" + (a.Field("account")[0] == 0x11 ? "01" : "02") + new string('0', 62));
        var b = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00" + (b.Field("account")[0] == 0x11 ? "01" : "02") + new string('0', 62));

        Assert.That(a.Field("account")[0], Is.Not.EqualTo(b.Field("account")[0]));
        Assert.That(await first.Guarded(), Is.EqualTo(new System.Numerics.BigInteger(1)));
        Assert.That(await second.Guarded(), Is.EqualTo(new System.Numerics.BigInteger(2)));
    }

    [Test]
    public async Task ConnectAsync_NoListener_ThrowsConnectionFailed()
    {
        var path = Path.Combine(Path.GetTempPath(), "genvm-no-such-" + Guid.NewGuid().ToString("N") + ".sock");

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(() => HostConnection.ConnectAsync("unix://" + path, null, CancellationToken.None).Guarded());
        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.ConnectionFailed));
        Assert.That(thrown.Method, Is.Null);
    }
}
