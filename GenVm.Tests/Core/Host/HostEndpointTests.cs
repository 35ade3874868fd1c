using System.Net;
using System.Net.Sockets;
using GenVm.Core.Host;

namespace GenVm.Tests.Core.Host;

[TestFixture]
public sealed class HostEndpointTests
{
    [Test]
    public void Parse_UnixUri_GivesUnixEndPoint()
    {
        var endPoint = HostEndpoint.Parse("unix:///tmp/genvm/host.sock");

        Assert.That(endPoint, Is.TypeOf<UnixDomainSocketEndPoint>());
        Assert.That(endPoint.ToString(), Is.EqualTo("/tmp/genvm/host.sock"));
    }

    [Test]
    public void Parse_Ipv4AndPort_GivesIpEndPoint()
        => Assert.That(HostEndpoint.Parse("127.0.0.1:3000"), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 3000)));

    [Test]
    public void Parse_BracketedIpv6_GivesIpEndPoint()
        => Assert.That(HostEndpoint.Parse("[::1]:65535"), Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 65535)));

    [Test]
    public void Parse_HostName_GivesDnsEndPoint()
    {
        var endPoint = (DnsEndPoint)HostEndpoint.Parse("localhost:8080");

        Assert.That(endPoint.Host, Is.EqualTo("localhost"));
        Assert.That(endPoint.Port, Is.EqualTo(8080));
    }

    [TestCase("unix://")]
    [TestCase("localhost")]
    [TestCase("localhost:")]
    [TestCase(":80")]
    [TestCase("localhost:65536")]
    [TestCase("localhost:-1")]
    [TestCase("::1:80")]
    [TestCase("[nothost]:80")]
    public void Parse_Malformed_ThrowsFormatException(string uri)
        => Assert.That(() => HostEndpoint.Parse(uri), Throws.TypeOf<FormatException>());
}
