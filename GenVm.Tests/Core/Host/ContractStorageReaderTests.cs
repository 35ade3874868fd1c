using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Host;

/// <summary>The run sequence of host-protocol.md §7.1 against a <see cref="TestNode"/> on a real socket.</summary>
[TestFixture]
public sealed class ContractStorageReaderTests
{
    // host-protocol.md §7.1 (slot ids written out from the spec text).
    private const string Code = "e1ae23412792df6b6a98fb7c9839701fb8b02b6fc7ed022810f78346494685e7";
    private const string Locked = "ba005630745acf3014aaf162e9933040302ca0bef3f56fe2d73c0a08f82c610b";
    private const string Upgraders = "21b9e013f74608b92947861287b3de76c2c076fe839b7994761bd950cc2e7566";
    private const string ContractHex = "0100000000000000000000000000000000000000";
    private const string SenderHex = "0200000000000000000000000000000000000000";
    private const string UpgraderHex = "0300000000000000000000000000000000000000";
    private const string RootSlot = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly Address Contract = new(Convert.FromHexString(ContractHex));
    private static readonly Address Sender = new(Convert.FromHexString(SenderHex));

    private static TestNode DeployedNode(uint upgraderCount, string upgraderHex, string[] lockedSlots)
    {
        var node = new TestNode { ContractHex = ContractHex, Calldata = Hex.Parse("16 01 61 09") };
        var code = Encoding.ASCII.GetBytes("# v0.1.0\nhello");
        node.Write(ContractHex, Code, 0, BitConverter.GetBytes(code.Length));
        node.Write(ContractHex, Code, 4, code);
        node.Write(ContractHex, Upgraders, 0, BitConverter.GetBytes(upgraderCount));
        for (var i = 0; i < upgraderCount; i++)
        {
            node.Write(ContractHex, Upgraders, (uint)(4 + (20 * i)), Convert.FromHexString(i == upgraderCount - 1 ? upgraderHex : new string('e', 40)));
        }

        node.Write(ContractHex, Locked, 0, BitConverter.GetBytes(lockedSlots.Length));
        node.Write(ContractHex, Locked, 4, Convert.FromHexString(string.Concat(lockedSlots)));
        node.Balances[ContractHex] = 1000;
        return node;
    }

    private static async Task RunAsync(TestNode node, Func<HostConnection, Task> executor)
    {
        await using var host = TestHost.StartUnix();
        using var client = await HostConnection.ConnectAsync(host.Uri, null, CancellationToken.None).Guarded();
        await host.AcceptAsync().Guarded();
        var serving = node.ServeAsync(host, CancellationToken.None);
        await executor(client).Guarded();
        await serving.Guarded();
    }

    private static string Reads(TestNode node)
        => string.Join(" ", node.Transcript.Select(r => r.Method == 1
            ? $"r({Convert.ToHexStringLower(r.Field("slot"))[..4]},{BitConverter.ToUInt32(r.Field("index"))},{BitConverter.ToUInt32(r.Field("len"))})"
            : r.Method.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public async Task RunSequence_SenderNotUpgrader_FollowsSpecOrder()
    {
        var node = DeployedNode(2, UpgraderHex, [RootSlot, Code]);
        IReadOnlyList<ReadOnlyMemory<byte>> locked = [];
        byte[] calldata = [];
        byte[] code = [];
        BigInteger balance = 0;

        await RunAsync(node, async client =>
        {
            locked = await ContractStorageReader.ReadLockedSlotsAsync(client, Contract, Sender, CancellationToken.None);
            calldata = await client.GetCalldataAsync(CancellationToken.None);
            code = await ContractStorageReader.ReadCodeAsync(client, StorageType.Default, Contract, CancellationToken.None);
            await client.StorageWriteAsync(Convert.FromHexString(RootSlot), 2, new byte[] { 7, 8 }, CancellationToken.None);
            balance = await client.GetBalanceAsync(Contract, CancellationToken.None);
            var readBack = await client.StorageReadAsync(StorageType.Default, Contract, Convert.FromHexString(RootSlot), 0, 5, CancellationToken.None);
            Assert.That(readBack, Is.EqualTo(new byte[] { 0, 0, 7, 8, 0 }), "never-written octets read as zero");
            await client.ConsumeResultAsync(ContractResult.Return(new byte[] { 0 }).ToConsumeResultPayload(), CancellationToken.None);
        });

        Assert.That(
            Reads(node),
            Is.EqualTo("r(21b9,0,4) r(21b9,4,20) r(21b9,24,20) r(ba00,0,4) r(ba00,4,64) 0 r(e1ae,0,4) r(e1ae,4,14) 2 12 r(0000,0,5) 3"));
        Assert.That(locked.Select(s => Convert.ToHexStringLower(s.Span)), Is.EqualTo(new[] { RootSlot, Code }));
        Assert.That(calldata, Is.EqualTo(Hex.Parse("16016109")));
        Assert.That(Encoding.ASCII.GetString(code), Is.EqualTo("# v0.1.0\nhello"));
        Assert.That(balance, Is.EqualTo(new BigInteger(1000)));
        Assert.That(node.Result, Is.EqualTo(Hex.Parse("0000")));
    }

    [Test]
    public async Task ReadLockedSlotsAsync_SenderIsUpgrader_ReturnsEmptyWithoutReadingLocked()
    {
        var node = DeployedNode(2, SenderHex, [RootSlot]);
        IReadOnlyList<ReadOnlyMemory<byte>> locked = [new byte[32]];

        await RunAsync(node, async client =>
        {
            locked = await ContractStorageReader.ReadLockedSlotsAsync(client, Contract, Sender, CancellationToken.None);
            await client.ConsumeResultAsync(Hex.Parse("0000"), CancellationToken.None);
        });

        Assert.That(locked, Is.Empty);
        Assert.That(Reads(node), Is.EqualTo("r(21b9,0,4) r(21b9,4,20) r(21b9,24,20) 3"));
    }

    [Test]
    public async Task ReadLockedSlotsAsync_NothingStored_SendsZeroLengthRead()
    {
        var node = new TestNode { ContractHex = ContractHex };
        IReadOnlyList<ReadOnlyMemory<byte>> locked = [new byte[32]];

        await RunAsync(node, async client =>
        {
            locked = await ContractStorageReader.ReadLockedSlotsAsync(client, Contract, Sender, CancellationToken.None);
            await client.ConsumeResultAsync(Hex.Parse("0000"), CancellationToken.None);
        });

        Assert.That(locked, Is.Empty);
        Assert.That(Reads(node), Is.EqualTo("r(21b9,0,4) r(ba00,0,4) r(ba00,4,0) 3"));
    }

    [Test]
    public async Task ReadLockedSlotsAsync_HugeLockedCount_ThrowsInvalidAnswer()
    {
        var node = new TestNode { ContractHex = ContractHex };
        node.Write(ContractHex, Locked, 0, BitConverter.GetBytes(uint.MaxValue));
        await using var host = TestHost.StartUnix();
        using var client = await HostConnection.ConnectAsync(host.Uri, null, CancellationToken.None).Guarded();
        await host.AcceptAsync().Guarded();
        using var stop = new CancellationTokenSource();
        var serving = node.ServeAsync(host, stop.Token);

        var thrown = await Assert.ThrowsAsync<HostProtocolException>(
            () => ContractStorageReader.ReadLockedSlotsAsync(client, Contract, Sender, CancellationToken.None).Guarded());

        Assert.That(thrown!.Kind, Is.EqualTo(HostProtocolErrorKind.InvalidAnswer));
        await stop.CancelAsync();
        Assert.That(async () => await serving.Guarded(), Throws.InstanceOf<OperationCanceledException>());
    }
}
