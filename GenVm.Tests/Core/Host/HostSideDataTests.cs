using System.Numerics;
using System.Text;
using GenVm.Core.Host;

namespace GenVm.Tests.Core.Host;

[TestFixture]
public sealed class HostSideDataTests
{
    [Test]
    public void PostMessage_FinalizedFive_MatchesSpecExample()
        => Assert.That(Encoding.ASCII.GetString(HostSideData.PostMessage(MessageDelivery.Finalized, 5)), Is.EqualTo("{\"on\":\"finalized\",\"value\":\"0x5\"}"));

    [Test]
    public void DeployContract_Zeros_MatchesSpecExample()
        => Assert.That(
            Encoding.ASCII.GetString(HostSideData.DeployContract(MessageDelivery.Finalized, 0, 0)),
            Is.EqualTo("{\"on\":\"finalized\",\"salt_nonce\":\"0x0\",\"value\":\"0x0\"}"));

    [Test]
    public void EthSend_Zero_MatchesSpecExample()
        => Assert.That(Encoding.ASCII.GetString(HostSideData.EthSend(0)), Is.EqualTo("{\"value\":\"0x0\"}"));

    [Test]
    public void PostMessage_Accepted_UsesAcceptedText()
        => Assert.That(
            Convert.ToHexStringLower(HostSideData.PostMessage(MessageDelivery.Accepted, 255)),
            Is.EqualTo("7b226f6e223a226163636570746564222c2276616c7565223a2230786666227d")); // {"on":"accepted","value":"0xff"}

    [TestCase("0", "0x0")]
    [TestCase("5", "0x5")]
    [TestCase("16", "0x10")]
    [TestCase("255", "0xff")]
    [TestCase("4096", "0x1000")]
    [TestCase("18446744073709551616", "0x10000000000000000")]
    public void FormatU256_Value_IsLowercaseHexWithoutLeadingZeros(string value, string expected)
        => Assert.That(HostSideData.FormatU256(BigInteger.Parse(value, System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(expected));

    [Test]
    public void FormatU256_Max_Is64Digits()
        => Assert.That(HostSideData.FormatU256((BigInteger.One << 256) - 1), Is.EqualTo("0x" + new string('f', 64)));

    [Test]
    public void FormatU256_OutOfRange_Throws()
    {
        Assert.That(() => HostSideData.FormatU256(BigInteger.MinusOne), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => HostSideData.FormatU256(BigInteger.One << 256), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
