using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Host;

/// <summary>
/// Drives <see cref="HostConnection"/> through a <see cref="TestHost"/> on a real Unix socket. Expected requests are
/// hex transcripts written from host-protocol.md §5, never produced by the client's own writer.
/// </summary>
[TestFixture]
public sealed class HostConnectionTests
{
    private const string Account11 = "1111111111111111111111111111111111111111";
    private const string Slot0To31 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string JsonPostMessage = "7b226f6e223a2266696e616c697a6564222c2276616c7565223a22307835227d"; // {"on":"finalized","value":"0x5"}
    private const string JsonDeploy = "7b226f6e223a2266696e616c697a6564222c2273616c745f6e6f6e6365223a22307830222c2276616c7565223a22307830227d";
    private const string JsonEthSend = "7b2276616c7565223a22307830227d"; // {"value":"0x0"}

    private static readonly Address Account = new(Hex.Parse(Account11));
    private static readonly byte[] Slot = Hex.Parse(Slot0To31);

    private static async Task<(TestHost Host, HostConnection Client)> OpenAsync(HostConnectionOptions? options = null, bool tcp = false)
    {
        var host = tcp ? TestHost.StartTcp() : TestHost.StartUnix();
        var connect = HostConnection.ConnectAsync(host.Uri, options, CancellationToken.None);
        await host.AcceptAsync().Guarded();
        return (host, await connect.Guarded());
    }

    [Test]
    public async Task GetCalldataAsync_OkAnswer_ReturnsEntryCalldata()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetCalldataAsync(CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 03000000 aabbcc");

        Assert.That(request.RawHex, Is.EqualTo("00"));
        Assert.That(await call.Guarded(), Is.EqualTo(Hex.Parse("aabbcc")));
    }

    [Test]
    public async Task StorageReadAsync_Request_MatchesSpecLayout()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.StorageReadAsync(StorageType.LatestNonFinal, Account, Slot, index: 5, length: 3, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 aabbcc");

        // id 1, read_type 2, account (20), slot (32), index u32 LE 5, len u32 LE 3
        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("01 02 " + Account11 + " " + Slot0To31 + " 05000000 03000000")));
        Assert.That(await call.Guarded(), Is.EqualTo(Hex.Parse("aabbcc")));
    }

    [Test]
    public async Task StorageReadAsync_ZeroLength_ReadsOnlyTheErrorByte()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.StorageReadAsync(StorageType.Default, Account, Slot, index: 4, length: 0, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");

        Assert.That(request.Field("len"), Is.EqualTo(Hex.Parse("00000000")));
        Assert.That(await call.Guarded(), Is.Empty);
        Assert.That(client.IsFaulted, Is.False);
    }

    [Test]
    public async Task StorageReadAsync_IntoDestination_FillsIt()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var destination = new byte[4];
        var call = client.StorageReadAsync(StorageType.LatestFinal, Account, Slot, index: 0, destination, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 01020304");
        await call.Guarded();

        Assert.That(Convert.ToHexStringLower(request.Field("read_type")), Is.EqualTo("01"));
        Assert.That(Convert.ToHexStringLower(request.Field("len")), Is.EqualTo("04000000"));
        Assert.That(destination, Is.EqualTo(Hex.Parse("01020304")));
    }

    [Test]
    public async Task StorageWriteAsync_Request_MatchesSpecLayout()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.StorageWriteAsync(Slot, index: 7, Hex.Parse("dead"), CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("02 " + Slot0To31 + " 07000000 02000000 dead")));
    }

    [Test]
    public async Task ConsumeResultAsync_PlainExit_SendsGoldenBytesAndFinishes()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        // host-protocol.md §7.3: Return with calldata null.
        var call = client.ConsumeResultAsync(Hex.Parse("00 00"), CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("ff"); // the acknowledgement may have any value
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo("03020000000000"));
        var after = await Assert.ThrowsAsync<HostProtocolException>(() => client.GetCalldataAsync(CancellationToken.None).Guarded());
        Assert.That(after!.Kind, Is.EqualTo(HostProtocolErrorKind.Finished));
    }

    [Test]
    public async Task ConsumeResultAsync_HostClosesWithoutAck_ThrowsDisconnected()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.ConsumeResultAsync(Hex.Parse("00 00"), CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        host.Disconnect();

        var error = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(error!.Kind, Is.EqualTo(HostProtocolErrorKind.Disconnected));
        Assert.That(error.Message, Does.Contain("acknowledgement"));
    }

    [Test]
    public async Task GetLeaderNondetResultAsync_IAmLeader_ReturnsLeaderMode()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetLeaderNondetResultAsync(7, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("03");
        var answer = await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo("0407000000"));
        Assert.That(answer.IsLeader, Is.True);
        Assert.That(answer.LeaderResult, Is.Null);
    }

    [TestCase("00 02000000 0009", ResultCode.Return, "09")]
    [TestCase("00 04000000 01616263", ResultCode.UserError, "616263")]
    [TestCase("00 01000000 02", ResultCode.VmError, "")]
    public async Task GetLeaderNondetResultAsync_Ok_ReturnsLeaderResult(string answerHex, ResultCode code, string payloadHex)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetLeaderNondetResultAsync(0, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync(answerHex);
        var answer = await call.Guarded();

        Assert.That(answer.IsLeader, Is.False);
        Assert.That(answer.LeaderResult!.Code, Is.EqualTo(code));
        Assert.That(Convert.ToHexStringLower(answer.LeaderResult.Payload.Span), Is.EqualTo(payloadHex));
    }

    [TestCase("00 00000000", "empty")]
    [TestCase("00 02000000 0700", "unknown code 7")]
    public async Task GetLeaderNondetResultAsync_InvalidResult_ThrowsInvalidAnswer(string answerHex, string messagePart)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetLeaderNondetResultAsync(0, CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync(answerHex);

        var error = await Assert.ThrowsAsync<HostProtocolException>(() => call.Guarded());
        Assert.That(error!.Kind, Is.EqualTo(HostProtocolErrorKind.InvalidAnswer));
        Assert.That(error.Message, Does.Contain(messagePart));
    }

    [Test]
    public async Task PostNondetResultAsync_Request_CarriesCodeAndPayloadAsOneBytesField()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.PostNondetResultAsync(7, new NondetResult(ResultCode.UserError, Encoding.UTF8.GetBytes("abc")), CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("05 07000000 04000000 01 616263")));
    }

    [Test]
    public async Task PostMessageAsync_Request_CarriesSortedCompactJson()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.PostMessageAsync(Account, Hex.Parse("0e017851"), MessageDelivery.Finalized, 5, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("06 " + Account11 + " 04000000 0e017851 20000000 " + JsonPostMessage)));
    }

    [Test]
    public async Task PostEventAsync_Request_MatchesSpecLayout()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var topicA = Hex.Parse(new string('a', 64));
        var topicB = Hex.Parse(new string('b', 64));
        var call = client.PostEventAsync([topicA, topicB], Hex.Parse("06"), CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("07 02 " + new string('a', 64) + new string('b', 64) + " 01000000 06")));
    }

    [Test]
    public async Task PostEventAsync_FiveTopics_ThrowsBeforeSending()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var topic = new byte[32];
        await Assert.ThrowsAsync<ArgumentException>(() => client.PostEventAsync([topic, topic, topic, topic, topic], Hex.Parse("06"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PostEventAsync([new byte[31]], Hex.Parse("06"), CancellationToken.None));
        Assert.That(client.IsFaulted, Is.False);
    }

    [Test]
    public async Task ConsumeFuelAsync_Request_HasNoAnswer()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        await client.ConsumeFuelAsync(0x0102030405060708, CancellationToken.None).Guarded();
        var request = await host.ReadRequestAsync().Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("08 0807060504030201")));

        // The stream is still in step: the next exchange works.
        var next = client.RemainingFuelAsGenAsync(CancellationToken.None);
        Assert.That((await host.ReadRequestAsync().Guarded()).RawHex, Is.EqualTo("0d"));
        await host.SendHexAsync("00 2a00000000000000");
        Assert.That(await next.Guarded(), Is.EqualTo(42UL));
    }

    [Test]
    public async Task DeployContractAsync_Request_CarriesSaltNonceJson()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.DeployContractAsync(Hex.Parse("06"), Hex.Parse("0061736d"), MessageDelivery.Finalized, BigInteger.Zero, BigInteger.Zero, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("09 01000000 06 04000000 0061736d 33000000 " + JsonDeploy)));
    }

    [Test]
    public async Task EthCallAsync_OkAnswer_ReturnsRawData()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.EthCallAsync(Account, Hex.Parse("a9059cbb"), CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 02000000 beef");

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("0a " + Account11 + " 04000000 a9059cbb")));
        Assert.That(await call.Guarded(), Is.EqualTo(Hex.Parse("beef")));
    }

    [Test]
    public async Task EthSendAsync_Request_CarriesValueJson()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.EthSendAsync(Account, Hex.Parse("01"), BigInteger.Zero, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00");
        await call.Guarded();

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("0b " + Account11 + " 01000000 01 0f000000 " + JsonEthSend)));
    }

    [TestCase("0102" + "000000000000000000000000000000000000000000000000000000000000", "513")]
    [TestCase("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public async Task GetBalanceAsync_OkAnswer_DecodesLittleEndianU256(string u256Hex, string expected)
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        var call = client.GetBalanceAsync(Account, CancellationToken.None);
        var request = await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 " + u256Hex);

        Assert.That(request.RawHex, Is.EqualTo(Hex.Normalize("0c " + Account11)));
        Assert.That(await call.Guarded(), Is.EqualTo(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task NotifyNondetDisagreementAsync_Request_HasNoAnswer()
    {
        var (host, client) = await OpenAsync();
        await using var _ = host;
        using var __ = client;

        await client.NotifyNondetDisagreementAsync(3, CancellationToken.None).Guarded();
        var request = await host.ReadRequestAsync().Guarded();

        Assert.That(request.RawHex, Is.EqualTo("0e03000000"));
    }

    [Test]
    public async Task ExchangeAsync_OverTcp_RoundTrips()
    {
        var (host, client) = await OpenAsync(tcp: true);
        await using var _ = host;
        using var __ = client;

        var call = client.RemainingFuelAsGenAsync(CancellationToken.None);
        await host.ReadRequestAsync().Guarded();
        await host.SendHexAsync("00 ffffffffffff1f00");

        Assert.That(await call.Guarded(), Is.EqualTo((1UL << 53) - 1));
    }
}
