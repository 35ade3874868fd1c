using System.Numerics;
using GenVm.Core.Calldata;
using static GenVm.Tests.Core.Calldata.CalldataTestData;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class CalldataTextTests
{
    [TestCase("null", "00")]
    [TestCase(" [ 1 , -2 ,\n\t3 ] ", "1d090a19")]
    [TestCase("-340282366920938463463374607431768211456", "fa" + "ffffffffffffffffff" + "ffffffffffffffff" + "1f")]
    [TestCase("b#ABcd", "13abcd")]
    [TestCase("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\"", "4c225c2f080c0a0d0941")]
    [TestCase("\"\\ud83d\\ude00\"", "24f09f9880")]
    [TestCase("\"\U0001F600\"", "24f09f9880")]
    [TestCase("{\"b\":1,\"a\":2}", "1601611101620 9")]
    public void Parse_ValidText_EncodesAsExpected(string text, string hex)
    {
        Assert.That(ToHex(CalldataCodec.Encode(CalldataText.Parse(text))), Is.EqualTo(ToHex(Hex(hex))));
    }

    [TestCase("", "unexpected end of input, expected a value", 0)]
    [TestCase("[1,]", "expected a value (null, true, false, an integer, \"string\", b#hex, addr#hex, [ or {)", 3)]
    [TestCase("[1 2]", "expected ',' or ']'", 3)]
    [TestCase("{\"a\" 1}", "expected ':' after a map key", 5)]
    [TestCase("{1:2}", "expected a string map key", 1)]
    [TestCase("{\"a\":1,\"a\":2}", "duplicate map key \"a\"", 7)]
    [TestCase("1.5", "calldata has no floats: expected an integer", 1)]
    [TestCase("1e3", "calldata has no floats: expected an integer", 1)]
    [TestCase("01", "leading zeros are not allowed in integers", 0)]
    [TestCase("-", "expected a digit", 1)]
    [TestCase("b#abc", "expected an even number of hex digits after b#", 5)]
    [TestCase("addr#00", "expected exactly 40 hex digits after addr#, found 2", 5)]
    [TestCase("\"abc", "unterminated string, expected '\"'", 4)]
    [TestCase("\"\\ud800\"", "high surrogate escape must be followed by a \\u low surrogate", 1)]
    [TestCase("\"\\udc00\"", "lone low surrogate escape (calldata strings are valid Unicode)", 1)]
    [TestCase("\"\\x41\"", "invalid escape, expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", 1)]
    [TestCase("\"\\u12\"", "expected 4 hex digits after \\u", 1)]
    [TestCase("\"a\nb\"", "control characters must be escaped in strings", 2)]
    [TestCase("null x", "expected end of input", 5)]
    [TestCase("nul", "expected a value (null, true, false, an integer, \"string\", b#hex, addr#hex, [ or {)", 0)]
    [TestCase("[[1]", "expected ',' or ']'", 4)]
    public void Parse_InvalidText_ThrowsWithPositionAndExpectation(string text, string problem, int position)
    {
        var ex = Assert.Throws<CalldataTextException>(() => CalldataText.Parse(text));
        Assert.That(ex!.Problem, Is.EqualTo(problem));
        Assert.That(ex.Position, Is.EqualTo(position));
        Assert.That(ex.Message, Is.EqualTo($"{problem} at position {position}"));
    }

    [Test]
    public void Print_AllKinds_CanonicalCompactAscii()
    {
        var value = CalldataValue.FromMap(
            ("z", CalldataValue.FromArray(CalldataValue.Null, true, false, -5, new byte[] { 0xAB, 0x01 })),
            ("a", "q\"\\\n\u0001\u007f\u00e9\U0001F600"),
            ("addr", new Address(new byte[20])),
            ("big", BigInteger.Pow(2, 100)));
        Assert.That(
            CalldataText.Print(value),
            Is.EqualTo("{\"a\":\"q\\\"\\\\\\n\\u0001\\u007f\\u00e9\\ud83d\\ude00\",\"addr\":addr#0000000000000000000000000000000000000000,"
                + "\"big\":1267650600228229401496703205376,\"z\":[null,true,false,-5,b#ab01]}"));
    }

    [Test]
    public void PrintDebug_LongBytes_AbbreviatedWithEdges()
    {
        var bytes = Enumerable.Range(0, 65).Select(i => (byte)i).ToArray();
        var expected = "b#" + Convert.ToHexStringLower(bytes.AsSpan(0, 32)) + "..." + Convert.ToHexStringLower(bytes.AsSpan(33, 32));
        Assert.That(CalldataText.PrintDebug(CalldataValue.FromBytes(bytes)), Is.EqualTo(expected));
        Assert.That(CalldataText.PrintDebug(CalldataValue.FromBytes(bytes.AsSpan(0, 64))), Is.EqualTo("b#" + Convert.ToHexStringLower(bytes.AsSpan(0, 64))));
        Assert.That(CalldataText.Print(CalldataValue.FromBytes(bytes)), Is.EqualTo("b#" + Convert.ToHexStringLower(bytes)));
    }

    [Test]
    public void PrintDebug_Strings_UseRustDebugQuoting()
    {
        var value = CalldataValue.FromMap(("k\"", CalldataValue.FromArray("a'b\t\0\u0001\u007f\u00e9", 12, CalldataValue.Null)));
        Assert.That(CalldataText.PrintDebug(value), Is.EqualTo("{\"k\\\"\":[\"a'b\\t\\0\\u{1}\\u{7f}\u00e9\",12,null]}"));
    }
}
