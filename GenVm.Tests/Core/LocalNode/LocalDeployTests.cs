using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.LocalNode;
using NUnit.Framework;

namespace GenVm.Tests.Core.LocalNode;

[TestFixture]
public sealed class LocalDeployTests
{
    private static readonly Address Deployer = Address.Parse("0100000000000000000000000000000000000000");

    private static LocalDeploy Deploy(string data) => new(Deployer, [0x06], [], data);

    [Test]
    public void ChildAddress_Salt1Chain0_IsTheSpecVector()
    {
        // python-sdk.md §12.3: deployer 0x01 then 19 zero octets, salt 1, chain 0.
        var address = Deploy("{\"on\":\"finalized\",\"salt_nonce\":\"0x1\",\"value\":\"0x0\"}").ChildAddress(BigInteger.Zero, _ => false);

        Assert.That(address, Is.EqualTo(Address.Parse("f539Cb83f077Cd01BDd1a4E002866dCC0D15D633")));
    }

    [Test]
    public void ChildAddress_SaltedAddress_DoesNotDependOnExistingCode()
    {
        var deploy = Deploy("{\"salt_nonce\":\"0x1\"}");

        Assert.That(deploy.ChildAddress(BigInteger.Zero, _ => true), Is.EqualTo(deploy.ChildAddress(BigInteger.Zero, _ => false)));
        Assert.That(deploy.ChildAddress(BigInteger.One, _ => false), Is.Not.EqualTo(deploy.ChildAddress(BigInteger.Zero, _ => false)));
    }

    [Test]
    public void ChildAddress_NoSalt_FirstCandidateWithoutCode()
    {
        var deploy = Deploy("{\"on\":\"finalized\",\"salt_nonce\":\"0x0\",\"value\":\"0x0\"}");
        var first = deploy.ChildAddress(BigInteger.Zero, _ => false);

        var second = deploy.ChildAddress(BigInteger.Zero, a => a == first);

        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(deploy.ChildAddress(BigInteger.Zero, a => a == first || a == second), Is.Not.EqualTo(second).And.Not.EqualTo(first));
    }

    [TestCase("{\"value\":\"0x2a\"}", 42)]
    [TestCase("{\"value\":\"0x0\"}", 0)]
    [TestCase("{}", 0)]
    [TestCase("not json", 0)]
    [TestCase("{\"value\":42}", 0)]
    public void Value_HexField_ParsedOrZero(string data, int expected)
    {
        Assert.That(Deploy(data).Value, Is.EqualTo(new BigInteger(expected)));
    }
}
