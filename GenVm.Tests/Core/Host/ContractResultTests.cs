using System.Text;
using GenVm.Core.Host;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Host;

/// <summary>Result encoding (host-protocol.md §7.2-7.4, §8.3); expected octets transcribed from the spec by hand.</summary>
[TestFixture]
public sealed class ContractResultTests
{
    private const string FingerprintTwoFrames =
        "16 06 6672616d6573 15" +
        " 16 04 66756e63 19 0b 6d6f64756c655f6e616d65 0c 61" +
        " 16 04 66756e63 01 0b 6d6f64756c655f6e616d65 04" +
        " 10 6d6f64756c655f696e7374616e636573 16" +
        " 00 0e 08 6d656d6f72696573 05" +
        " 01 61 0e 08 6d656d6f72696573 0d 8302 abababababababababababababababababababababababababababababababab";

    [Test]
    public void ToConsumeResultPayload_PlainExit_IsReturnOfNull()
        => Assert.That(Convert.ToHexStringLower(ContractResult.Return(new byte[] { 0x00 }).ToConsumeResultPayload()), Is.EqualTo("0000"));

    [Test]
    public void ToConsumeResultPayload_UserErrorWithoutFingerprint_IsMapOfNullAndMessage()
        => Assert.That(
            Convert.ToHexStringLower(ContractResult.UserError("abc", null).ToConsumeResultPayload()),
            Is.EqualTo(Hex.Normalize("01 16 0b 66696e6765727072696e74 00 07 6d657373616765 1c 616263")));

    [Test]
    public void ToConsumeResultPayload_VmErrorWithEmptyFingerprint_EncodesEmptyFramesAndInstances()
        => Assert.That(
            Convert.ToHexStringLower(ContractResult.VmError("exit_code 1", Fingerprint.Empty).ToConsumeResultPayload()),
            Is.EqualTo(Hex.Normalize(
                "02 16 0b 66696e6765727072696e74 16 06 6672616d6573 05 10 6d6f64756c655f696e7374616e636573 06" +
                " 07 6d657373616765 5c 657869745f636f64652031")));

    [Test]
    public void ToConsumeResultPayload_InternalError_IsCode2AndRawText()
        => Assert.That(
            ContractResult.InternalError("boom: no").ToConsumeResultPayload(),
            Is.EqualTo(new byte[] { 0x02 }.Concat(Encoding.UTF8.GetBytes("boom: no")).ToArray()));

    [Test]
    public void ToCalldata_FramesAndInstances_SortsKeysAndKeepsFrameOrder()
    {
        var hash = Enumerable.Repeat((byte)0xab, 32).ToArray();
        var fingerprint = new Fingerprint(
            [new FingerprintFrame(3, "a"), new FingerprintFrame(0, "")],
            [
                new("a", new[] { new byte[32] }),
                new("", Array.Empty<byte[]>()),
                new("a", new[] { hash }), // a later instance with an equal name overwrites (§7.4)
            ]);

        var encoded = GenVm.Core.Calldata.CalldataCodec.Encode(fingerprint.ToCalldata());

        Assert.That(Convert.ToHexStringLower(encoded), Is.EqualTo(Hex.Normalize(FingerprintTwoFrames)));
    }

    [Test]
    public void Fingerprint_MemoryHashOfWrongLength_Throws()
        => Assert.That(
            () => new Fingerprint([], [new("m", new[] { new byte[31] })]),
            Throws.ArgumentException);

    [TestCase(ResultCode.UserError, "01616263")]
    [TestCase(ResultCode.VmError, "02616263")]
    public void ToNondetResult_Error_IsCodeAndUtf8Message(ResultCode code, string expected)
    {
        var result = code == ResultCode.UserError ? ContractResult.UserError("abc", Fingerprint.Empty) : ContractResult.VmError("abc", null);
        Assert.That(Convert.ToHexStringLower(result.ToNondetResult().ToBytes()), Is.EqualTo(expected));
    }

    [Test]
    public void ToNondetResult_Return_IsCodeAndCalldata()
        => Assert.That(Convert.ToHexStringLower(ContractResult.Return(new byte[] { 0x10 }).ToNondetResult().ToBytes()), Is.EqualTo("0010"));

    [Test]
    public void ToNondetResult_InternalError_Throws()
        => Assert.That(() => ContractResult.InternalError("x").ToNondetResult(), Throws.InvalidOperationException);

    [TestCase("", false)]
    [TestCase("03", false)]
    [TestCase("00", true)]
    [TestCase("0109", true)]
    public void NondetResult_TryParse_AcceptsOnlyKnownCodes(string hex, bool expected)
        => Assert.That(NondetResult.TryParse(Hex.Parse(hex), out _), Is.EqualTo(expected));
}
