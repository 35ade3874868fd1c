using GenVm.Core.Calldata;
using static GenVm.Tests.Core.Calldata.CalldataTestData;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class ResultLineFormatterTests
{
    // calldata.md §9.1 examples.
    [TestCase("00", "executed with `Return(\"\\x00\")`")]
    [TestCase("10", "executed with `Return(\"\\x10\")`")]
    [TestCase("0e017851", "executed with `Return(\"\\x0e\\x01xQ\")`")]
    [TestCase("d907", "executed with `Return(\"\\d9\\x07\")`")]
    [TestCase("94157b", "executed with `Return(\"\\94\\x15{\")`")]
    [TestCase("1c616263", "executed with `Return(\"\\x1cabc\")`")]
    [TestCase("4c776562207061676533", "executed with `Return(\"Lweb page3\")`")]
    [TestCase("c280", "executed with `Return(\"\\x80\")`")]
    [TestCase("e282ac", "executed with `Return(\"\u20ac\")`")]
    [TestCase("eda080", "executed with `Return(\"\\ed\\a0\\80\")`")]
    [TestCase("c3", "executed with `Return(\"\\c3\")`")]
    [TestCase("f8", "executed with `Return(\"\\f8\")`")]
    [TestCase("80", "executed with `Return(\"\\80\")`")]
    [TestCase("5c22", "executed with `Return(\"\\\\\"\")`")]
    public void FormatReturn_SpecExample_Matches(string hex, string expected)
    {
        Assert.That(ResultLineFormatter.FormatReturn(Hex(hex)), Is.EqualTo(expected));
    }

    // Unit boundaries of §9.1: truncated sequences stop before the offending octet; overlong, surrogate and
    // beyond-U+10FFFF complete sequences are one invalid unit; FE/FF and lone continuations are single octets.
    [TestCase("c341", "\\c3A")]
    [TestCase("e282", "\\e2\\82")]
    [TestCase("e28241", "\\e2\\82A")]
    [TestCase("c080", "\\c0\\80")]
    [TestCase("e08080", "\\e0\\80\\80")]
    [TestCase("f4908080", "\\f4\\90\\80\\80")]
    [TestCase("f09f9880", "\U0001F600")]
    [TestCase("f888808080", "\\f8\\88\\80\\80\\80")]
    [TestCase("fc8480808080", "\\fc\\84\\80\\80\\80\\80")]
    [TestCase("feff", "\\fe\\ff")]
    [TestCase("bf41", "\\bfA")]
    [TestCase("7f", "\\x7f")]
    [TestCase("c29f", "\\x9f")]
    [TestCase("c2a0", "\u00a0")]
    [TestCase("0a0d09", "\\x0a\\x0d\\x09")]
    [TestCase("2022", " \"")]
    public void EscapeReturnBytes_UnitRules_Match(string hex, string expected)
    {
        Assert.That(ResultLineFormatter.EscapeReturnBytes(Hex(hex)), Is.EqualTo(expected));
    }

    [TestCase("boom", "executed with `UserError(\"boom\")`")]
    [TestCase("a\"b\\c\nd\re\tf\0g'h", "executed with `UserError(\"a\\\"b\\\\c\\nd\\re\\tf\\0g'h\")`")]
    [TestCase("\u0001\u001b\u007f", "executed with `UserError(\"\\u{1}\\u{1b}\\u{7f}\")`")]
    [TestCase("caf\u00e9 \u20ac", "executed with `UserError(\"caf\u00e9 \u20ac\")`")]
    [TestCase("\u0085\u00a0\u00ad\u200b\u0301", "executed with `UserError(\"\\u{85}\\u{a0}\\u{ad}\\u{200b}\\u{301}\")`")]
    public void FormatUserError_Message_UsesRustDebugEscaping(string message, string expected)
    {
        Assert.That(ResultLineFormatter.FormatUserError(message), Is.EqualTo(expected));
    }

    [Test]
    public void FormatVmError_Message_IsVerbatim()
    {
        Assert.That(ResultLineFormatter.FormatVmError("exit_code 1\n\"x\"\\"), Is.EqualTo("executed with `VMError(\"exit_code 1\n\"x\"\\\")`"));
    }

    [Test]
    public void FormatInternalError_Always_Empty()
    {
        Assert.That(ResultLineFormatter.FormatInternalError(), Is.EqualTo("executed with `InternalError(\"\")`"));
    }
}
