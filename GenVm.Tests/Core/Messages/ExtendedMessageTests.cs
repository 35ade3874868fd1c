using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Messages;

[TestFixture]
public sealed class ExtendedMessageTests
{
    // calldata.md §8: the fd-0 blob of the default test message, 225 octets, transcribed from the spec's listing.
    private const string DefaultMessageBlob =
        "5e08636861696e5f69640110636f6e74726163745f6164647265737318010000" +
        "0000000000000000000000000000000000086461746574696d65dc0132303234" +
        "2d31312d32365430363a34323a34322e3432343234325a0a656e7472795f6461" +
        "74610b060a656e7472795f6b696e640110656e7472795f73746167655f646174" +
        "61000769735f696e6974080e6f726967696e5f61646472657373180200000000" +
        "0000000000000000000000000000000e73656e6465725f616464726573731802" +
        "0000000000000000000000000000000000000005737461636b050576616c7565" +
        "01";

    private const string DefaultMessageJson =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\"," +
        "\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"0\",\"value\":null,\"is_init\":false}";

    private static ExtendedMessage TopLevel()
        => ExtendedMessage.ForTopLevel(MessageJson.Parse(DefaultMessageJson), new byte[] { 0x06 }); // entry data = encoding of {}

    [Test]
    public void Encode_DefaultTestMessage_MatchesSpecExample()
    {
        var blob = TopLevel().Encode();

        Assert.That(blob, Has.Length.EqualTo(225));
        Assert.That(Convert.ToHexStringLower(blob), Is.EqualTo(DefaultMessageBlob));
    }

    [Test]
    public void ForCallContract_FromTopLevel_PushesCallerAndResetsValue()
    {
        var top = TopLevel() with { Value = 9, IsInit = true };
        var target = new Address(Convert.FromHexString(new string('3', 40)));

        var callee = top.ForCallContract(target, new byte[] { 0x00 });

        Assert.That(callee.ContractAddress, Is.EqualTo(target));
        Assert.That(callee.SenderAddress, Is.EqualTo(top.SenderAddress));
        Assert.That(callee.Stack, Is.EqualTo(new[] { top.ContractAddress }));
        Assert.That(callee.Value, Is.Zero);
        Assert.That(callee.IsInit, Is.False);
        Assert.That(callee.EntryKind, Is.EqualTo(EntryKind.Main));
        var decoded = CalldataCodec.Decode(callee.Encode()).AsMap();
        Assert.That(decoded["stack"].AsArray()[0].AsAddress(), Is.EqualTo(top.ContractAddress));
    }

    [Test]
    public void ForNondetValidator_SetsLeadersResultStageData()
    {
        var validator = TopLevel().ForNondetValidator(new byte[] { 0xaa }, [0x00, 0x10]);
        var decoded = CalldataCodec.Decode(validator.Encode()).AsMap();

        Assert.That(decoded["entry_kind"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(2)));
        Assert.That(decoded["entry_data"].AsBytes().ToArray(), Is.EqualTo(new byte[] { 0xaa }));
        Assert.That(decoded["entry_stage_data"].AsMap()["leaders_result"].AsBytes().ToArray(), Is.EqualTo(new byte[] { 0x00, 0x10 }));
    }

    [Test]
    public void ForSandboxAndLeader_SetEntryKinds()
    {
        Assert.That(TopLevel().ForSandbox(new byte[] { 1 }).EntryKind, Is.EqualTo(EntryKind.Sandbox));
        Assert.That(TopLevel().ForNondetLeader(new byte[] { 1 }).EntryKind, Is.EqualTo(EntryKind.ConsensusStage));
        Assert.That(TopLevel().ForNondetLeader(new byte[] { 1 }).EntryStageData.IsNull, Is.True);
    }

    [Test]
    public void Encode_SubsecondDigits_UseAutoForm()
    {
        var message = TopLevel() with { Datetime = MessageDatetime.Parse("2025-03-04T05:06:07.5Z") };
        var decoded = CalldataCodec.Decode(message.Encode()).AsMap();

        Assert.That(decoded["datetime"].AsString(), Is.EqualTo("2025-03-04T05:06:07.500Z"));
    }
}
