using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Messages;

namespace GenVm.Tests.Core.Messages;

[TestFixture]
public sealed class MessageJsonTests
{
    private const string A1 = "AQAAAAAAAAAAAAAAAAAAAAAAAAA="; // 01 00×19
    private const string A2 = "AgAAAAAAAAAAAAAAAAAAAAAAAAA="; // 02 00×19

    private static string Message(string extra = "", string chainId = "\"0\"", string isInit = "false")
        => $"{{\"contract_address\":\"{A1}\",\"sender_address\":\"{A2}\",\"origin_address\":\"{A2}\",\"chain_id\":{chainId},\"is_init\":{isInit}{extra}}}";

    [Test]
    public void Parse_MinimalMessage_AppliesDefaults()
    {
        var message = MessageJson.Parse(Message());

        Assert.That(message.ContractAddress, Is.EqualTo(new Address(Convert.FromHexString("01" + new string('0', 38)))));
        Assert.That(message.SenderAddress, Is.EqualTo(new Address(Convert.FromHexString("02" + new string('0', 38)))));
        Assert.That(message.OriginAddress, Is.EqualTo(message.SenderAddress));
        Assert.That(message.ChainId, Is.EqualTo(BigInteger.Zero));
        Assert.That(message.Value, Is.Zero);
        Assert.That(message.IsInit, Is.False);
        Assert.That(message.Datetime.ToRfc3339(), Is.EqualTo("2024-11-26T06:42:42.424242Z"));
        Assert.That(message.Datetime, Is.EqualTo(new MessageDatetime(1732603362, 424_242_000)));
    }

    [Test]
    public void Parse_AllFields_ReadsThem()
    {
        var json = Message(
            ",\"value\":18446744073709551615,\"datetime\":\"2025-01-02T03:04:05+01:00\",\"$schema\":\"x\",\"gas\":[1,{}]",
            chainId: "\"61999123456789012345678901234567890\"",
            isInit: "true");

        var message = MessageJson.Parse(json);

        Assert.That(message.Value, Is.EqualTo(ulong.MaxValue));
        Assert.That(message.IsInit, Is.True);
        Assert.That(message.ChainId, Is.EqualTo(BigInteger.Parse("61999123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(message.Datetime.ToRfc3339(), Is.EqualTo("2025-01-02T02:04:05Z"));
    }

    [TestCase(",\"value\":null", 0UL)]
    [TestCase(",\"value\":0", 0UL)]
    [TestCase(",\"value\":42", 42UL)]
    public void Parse_Value_AcceptsNullAndIntegers(string extra, ulong expected)
        => Assert.That(MessageJson.Parse(Message(extra)).Value, Is.EqualTo(expected));

    [Test]
    public void Parse_DatetimeNull_UsesDefault()
        => Assert.That(MessageJson.Parse(Message(",\"datetime\":null")).Datetime, Is.EqualTo(MessageDatetime.Default));

    [TestCase("", "invalid message JSON")]
    [TestCase("[]", "expected an object, got an array")]
    [TestCase("{", "invalid message JSON")]
    [TestCase("{\"contract_address\":1}", "`contract_address` must be a base64 string, got a number")]
    public void Parse_MalformedJson_Throws(string json, string expected)
        => Assert.That(() => MessageJson.Parse(json), Throws.TypeOf<MessageFormatException>().With.Message.Contains(expected));

    [TestCase("contract_address")]
    [TestCase("sender_address")]
    [TestCase("origin_address")]
    [TestCase("chain_id")]
    [TestCase("is_init")]
    public void Parse_MissingRequiredField_Throws(string field)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Message());
        var rest = document.RootElement.EnumerateObject().Where(p => p.Name != field).Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}");
        var json = "{" + string.Join(",", rest) + "}";

        Assert.That(() => MessageJson.Parse(json), Throws.TypeOf<MessageFormatException>().With.Message.Contains($"missing field `{field}`"));
    }

    [TestCase("AQAAAAAAAAAAAAAAAAAAAAAAAA==")] // 19 octets
    [TestCase("AQAAAAAAAAAAAAAAAAAAAAAAAAAA")] // no padding
    [TestCase("AQAAAAAAAAAAAAAAAAAAAAAAAAB=")] // non-canonical trailing bits
    [TestCase("AQAAAAAAAAAAAAAAAAAAAAAAA A=")] // white space
    [TestCase("AQAAAAAAAAAAAAAAAAAAAAAAAA-=")] // URL-safe alphabet
    [TestCase("0x0100000000000000000000000000000000000000")]
    public void Parse_BadAddress_Throws(string address)
    {
        var json = Message().Replace(A1, address, StringComparison.Ordinal);
        Assert.That(() => MessageJson.Parse(json), Throws.TypeOf<MessageFormatException>().With.Message.Contains("contract_address"));
    }

    [TestCase("\"\"")]
    [TestCase("\"1.5\"")]
    [TestCase("\"0x10\"")]
    [TestCase("\" 1\"")]
    [TestCase("\"-\"")]
    [TestCase("1")]
    public void Parse_BadChainId_Throws(string chainId)
        => Assert.That(() => MessageJson.Parse(Message(chainId: chainId)), Throws.TypeOf<MessageFormatException>().With.Message.Contains("chain_id"));

    [TestCase("\"-5\"", -5)]
    [TestCase("\"+5\"", 5)]
    public void Parse_SignedChainId_IsAccepted(string chainId, int expected)
        => Assert.That(MessageJson.Parse(Message(chainId: chainId)).ChainId, Is.EqualTo(new BigInteger(expected)));

    [TestCase(",\"value\":-1")]
    [TestCase(",\"value\":1.0")]
    [TestCase(",\"value\":1e3")]
    [TestCase(",\"value\":18446744073709551616")]
    [TestCase(",\"value\":\"5\"")]
    public void Parse_BadValue_Throws(string extra)
        => Assert.That(() => MessageJson.Parse(Message(extra)), Throws.TypeOf<MessageFormatException>().With.Message.Contains("`value`"));

    [TestCase("1")]
    [TestCase("\"true\"")]
    [TestCase("null")]
    public void Parse_BadIsInit_Throws(string isInit)
        => Assert.That(() => MessageJson.Parse(Message(isInit: isInit)), Throws.TypeOf<MessageFormatException>().With.Message.Contains("is_init"));

    [TestCase(",\"datetime\":\"yesterday\"")]
    [TestCase(",\"datetime\":\"2024-13-01T00:00:00Z\"")]
    [TestCase(",\"datetime\":\"2024-02-30T00:00:00Z\"")]
    [TestCase(",\"datetime\":\"2024-11-26T06:42:42\"")]
    [TestCase(",\"datetime\":5")]
    public void Parse_BadDatetime_Throws(string extra)
        => Assert.That(() => MessageJson.Parse(Message(extra)), Throws.TypeOf<MessageFormatException>().With.Message.Contains("datetime"));

    [Test]
    public void Parse_DuplicateKnownField_Throws()
        => Assert.That(() => MessageJson.Parse(Message(",\"is_init\":true")), Throws.TypeOf<MessageFormatException>().With.Message.Contains("duplicate field `is_init`"));

    [Test]
    public void Parse_DuplicateUnknownField_IsIgnored()
        => Assert.That(MessageJson.Parse(Message(",\"gas\":1,\"gas\":2")).IsInit, Is.False);
}
