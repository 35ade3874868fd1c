using GenVm.Core.Messages;

namespace GenVm.Tests.Core.Messages;

[TestFixture]
public sealed class MessageDatetimeTests
{
    [TestCase("2024-11-26T06:42:42.424242Z", "2024-11-26T06:42:42.424242Z")]
    [TestCase("2024-11-26T06:42:42Z", "2024-11-26T06:42:42Z")]
    [TestCase("2024-11-26T06:42:42.5Z", "2024-11-26T06:42:42.500Z")]
    [TestCase("2024-11-26T06:42:42.000Z", "2024-11-26T06:42:42Z")]
    [TestCase("2024-11-26T06:42:42.123456789Z", "2024-11-26T06:42:42.123456789Z")]
    [TestCase("2024-11-26T06:42:42.1234567891234Z", "2024-11-26T06:42:42.123456789Z")]
    [TestCase("2024-11-26T06:42:42.120Z", "2024-11-26T06:42:42.120Z")]
    [TestCase("2024-11-26T06:42:42.000001Z", "2024-11-26T06:42:42.000001Z")]
    [TestCase("2024-11-26T06:42:42.0000001Z", "2024-11-26T06:42:42.000000100Z")]
    [TestCase("2024-11-26t06:42:42z", "2024-11-26T06:42:42Z")]
    [TestCase("2024-11-26 06:42:42Z", "2024-11-26T06:42:42Z")]
    [TestCase("2024-11-26T08:42:42+02:00", "2024-11-26T06:42:42Z")]
    [TestCase("2024-11-26T00:12:42-0630", "2024-11-26T06:42:42Z")]
    [TestCase("2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z")]
    [TestCase("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z")]
    public void Parse_Rfc3339_NormalisesToUtc(string text, string expected)
        => Assert.That(MessageDatetime.Parse(text).ToRfc3339(), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("2024-11-26")]
    [TestCase("2024-11-26T06:42:42")]
    [TestCase("2024-11-26T06:42:42.Z")]
    [TestCase("2024-11-26T06:42:60Z")]
    [TestCase("2024-11-26T24:00:00Z")]
    [TestCase("2023-02-29T00:00:00Z")]
    [TestCase("2024-11-26T06:42:42+24:00")]
    [TestCase("2024-11-26T06:42:42+02")]
    [TestCase("2024-11-26T06:42:42Z ")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("9999-12-31T23:49:59-23:59")]
    [TestCase("0001-01-01T00:00:00+00:01")]
    public void TryParse_Invalid_ReturnsFalse(string text)
        => Assert.That(MessageDatetime.TryParse(text, out _, out _), Is.False);

    [Test]
    public void UnixNanoseconds_Default_IsExact()
        => Assert.That(MessageDatetime.Default.UnixNanoseconds, Is.EqualTo((Int128)1732603362_424242000));

    [Test]
    public void ToDateTimeOffset_Default_IsUtc()
        => Assert.That(MessageDatetime.Default.ToDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2024, 11, 26, 6, 42, 42, TimeSpan.Zero).AddTicks(4_242_420)));
}
