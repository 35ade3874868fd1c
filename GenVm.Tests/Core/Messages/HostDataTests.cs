using GenVm.Core.Calldata;
using GenVm.Core.Messages;
using GenVm.Core.Modules;

namespace GenVm.Tests.Core.Messages;

[TestFixture]
public sealed class HostDataTests
{
    [Test]
    public void Parse_RequiredAndExtraFields_KeepsAllInTheMap()
    {
        var data = HostData.Parse("{\"tx_id\":\"0xab\",\"node_address\":\"0x01\",\"n\":1.0,\"big\":18446744073709551615,\"neg\":-3,\"x\":[null,true,{\"k\":\"v\"}]}");

        Assert.That(data.NodeAddress, Is.EqualTo("0x01"));
        Assert.That(data.TxId, Is.EqualTo("0xab"));
        Assert.That(data.Value.Keys, Is.EqualTo(new[] { "big", "n", "neg", "node_address", "tx_id", "x" }));
        Assert.That(data.Value["n"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(1)));
        Assert.That(data.Value["big"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(ulong.MaxValue)));
        Assert.That(data.Value["neg"].AsNumber(), Is.EqualTo(new System.Numerics.BigInteger(-3)));
        Assert.That(data.Value["x"].AsArray()[2].AsMap()["k"].AsString(), Is.EqualTo("v"));
    }

    [TestCase("{}", "missing field `node_address`")]
    [TestCase("{\"node_address\":\"a\"}", "missing field `tx_id`")]
    [TestCase("{\"node_address\":1,\"tx_id\":\"b\"}", "`node_address` must be a string")]
    [TestCase("[]", "expected an object")]
    [TestCase("{\"node_address\":\"a\",\"tx_id\":\"b\",\"f\":0.5}", "float has fractional part")]
    [TestCase("{\"node_address\":\"a\",\"tx_id\":\"b\",\"f\":1e300}", "float out of range")]
    [TestCase("{\"node_address\":\"a\",", "invalid host data JSON")]
    public void Parse_Invalid_Throws(string json, string expected)
        => Assert.That(() => HostData.Parse(json), Throws.TypeOf<MessageFormatException>().With.Message.Contains(expected));

    [Test]
    public void ModuleHello_ToCalldata_HasCookieAndHostData()
    {
        var data = HostData.Parse("{\"node_address\":\"a\",\"tx_id\":\"b\"}");
        var hello = new ModuleHello("c0ffee", data.Value).ToCalldata();

        // {"cookie": "c0ffee", "host_data": {"node_address": "a", "tx_id": "b"}}, transcribed by hand.
        Assert.That(
            Convert.ToHexStringLower(CalldataCodec.Encode(hello)),
            Is.EqualTo("1606636f6f6b69653463306666656509686f73745f6461746116" + "0c6e6f64655f61646472657373" + "0c61" + "0574785f6964" + "0c62"));
    }

    [Test]
    public void RunCookie_Format_OmitsZeroPadding()
        => Assert.That(RunCookie.Format([0x0a, 0x00, 0xff, 0x10]), Is.EqualTo("a0ff10"));

    [Test]
    public void RunCookie_Generate_IsLowercaseHexOf8To16Chars()
    {
        var cookie = RunCookie.Generate();

        Assert.That(cookie.Length, Is.InRange(8, 16));
        Assert.That(cookie, Does.Match("^[0-9a-f]+$"));
    }
}
