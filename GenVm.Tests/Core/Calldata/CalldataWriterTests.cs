using System.Buffers;
using System.Numerics;
using GenVm.Core.Calldata;
using static GenVm.Tests.Core.Calldata.CalldataTestData;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class CalldataWriterTests
{
    // calldata.md §8, every worked example (values written in the lossless text form).
    [TestCase("null", "00")]
    [TestCase("false", "08")]
    [TestCase("true", "10")]
    [TestCase("0", "01")]
    [TestCase("1", "09")]
    [TestCase("-1", "02")]
    [TestCase("15", "79")]
    [TestCase("16", "8101")]
    [TestCase("-16", "7a")]
    [TestCase("-17", "8201")]
    [TestCase("63", "f903")]
    [TestCase("64", "8104")]
    [TestCase("127", "f907")]
    [TestCase("128", "8108")]
    [TestCase("18446744073709551616", "81808080808080808010")]
    [TestCase("-18446744073709551616", "faffffffffffffffff0f")]
    [TestCase("\"\"", "04")]
    [TestCase("\"abc\"", "1c616263")]
    [TestCase("\"\u00e9\"", "14c3a9")]
    [TestCase("b#", "03")]
    [TestCase("b#010203", "1b010203")]
    [TestCase("{\"\\ufffd\":1,\"\\ud83d\\ude00\":2}", "1603efbfbd0904f09f988011")]
    [TestCase("[]", "05")]
    [TestCase("[1,2,3]", "1d091119")]
    [TestCase("{}", "06")]
    [TestCase("{\"a\":1,\"b\":[1,2,3]}", "160161090162 1d091119")]
    [TestCase("{\"method\":\"foo\",\"args\":[]}", "1604617267730506 6d6574686f64 1c666f6f")]
    [TestCase("{\"b\":1,\"a\":2,\"aa\":3,\"B\":4}", "2601422101611102616119016209")]
    [TestCase("[null,true,false]", "1d001008")]
    [TestCase("addr#0101010101010101010101010101010101010101", "180101010101010101010101010101010101010101")]
    [TestCase("{\"x\":10}", "0e017851")]
    [TestCase("{\"leaders_result\":b#001c313233}", "0e0e6c6561646572735f726573756c742b001c313233")]
    public void Encode_WorkedExample_MatchesSpec(string text, string hex)
    {
        var value = CalldataText.Parse(text);
        Assert.That(ToHex(CalldataCodec.Encode(value)), Is.EqualTo(ToHex(Hex(hex))));
    }

    [Test]
    public void Encode_TwoPow256MinusOne_Is37Bytes()
    {
        var value = CalldataValue.FromNumber((BigInteger.One << 256) - 1);
        var expected = "f9" + string.Concat(Enumerable.Repeat("ff", 35)) + "7f";
        Assert.That(ToHex(CalldataCodec.Encode(value)), Is.EqualTo(expected));
    }

    [Test]
    public void Encode_String300_HeaderIsE412()
    {
        var value = CalldataValue.FromString(new string('x', 300));
        var expected = "e412" + string.Concat(Enumerable.Repeat("78", 300));
        Assert.That(ToHex(CalldataCodec.Encode(value)), Is.EqualTo(expected));
    }

    [Test]
    public void Encode_MessageBlob_Matches225Bytes()
    {
        var encoded = CalldataCodec.Encode(MessageBlobValue());
        Assert.That(encoded, Has.Length.EqualTo(225));
        Assert.That(ToHex(encoded), Is.EqualTo(MessageBlobHex()));
    }

    [TestCase("-9223372036854775808")]
    [TestCase("9223372036854775807")]
    [TestCase("2305843009213693951")]
    [TestCase("2305843009213693952")]
    [TestCase("-2305843009213693953")]
    [TestCase("18446744073709551615")]
    [TestCase("-340282366920938463463374607431768211456")]
    public void Encode_NumbersAroundWordLimits_AgreeWithBigIntegerPath(string text)
    {
        var n = BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var bytes = CalldataCodec.Encode(CalldataValue.FromNumber(n));
        Assert.That(CalldataCodec.Decode(bytes).AsNumber(), Is.EqualTo(n));

        // Reference: header = (magnitude << 3) | tag written as ULEB, computed here independently with BigInteger.
        var h = n.Sign >= 0 ? (n << 3) | 1 : ((-n - 1) << 3) | 2;
        var expected = new List<byte>();
        do
        {
            var group = (byte)(h & 0x7F);
            h >>= 7;
            expected.Add(h.IsZero ? group : (byte)(group | 0x80));
        }
        while (!h.IsZero);
        Assert.That(bytes, Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void Encode_ManyValuesAcrossChunkBoundaries_RoundTrips()
    {
        // Mixed-width headers so that every kind of write lands on a chunk boundary at some point.
        var random = new RandomCalldata(seed: 5);
        var items = new CalldataValue[20_000];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = (i % 5) switch
            {
                0 => CalldataValue.FromNumber(random.NextNumber()),
                1 => CalldataValue.FromArray(Enumerable.Repeat<CalldataValue>(1, i % 40).ToArray()),
                2 => CalldataValue.FromString(random.NextString()),
                3 => new Address(new byte[20]),
                _ => CalldataValue.FromMap((random.NextString(), i)),
            };
        }

        var value = CalldataValue.FromArray(items);
        var streamed = new CalldataWriter(1);
        streamed.WriteStartArray(items.Length);
        foreach (var item in items)
        {
            streamed.WriteValue(item);
        }

        var bytes = CalldataCodec.Encode(value);
        Assert.That(CalldataCodec.Decode(bytes), Is.EqualTo(value));
        Assert.That(streamed.Encode(), Is.EqualTo(bytes));
    }

    [Test]
    public void WriteStreaming_ExampleSixteen_MatchesWholeValueEncoding()
    {
        var writer = new CalldataWriter();
        writer.WriteStartMap(2);
        writer.WriteKey("a");
        writer.WriteNumber(1);
        writer.WriteKey("b");
        writer.WriteStartArray(3);
        writer.WriteNumber(1);
        writer.WriteNumber(2L);
        writer.WriteNumber(new BigInteger(3));
        Assert.That(writer.IsComplete, Is.True);
        Assert.That(ToHex(writer.Encode()), Is.EqualTo("160161090162" + "1d091119"));
    }

    [Test]
    public void WriteKey_Utf16OrderButNotUtf8Order_Throws()
    {
        // calldata.md §5 pitfall: U+1F600 (surrogates) is UTF-16-smaller but UTF-8-larger than U+FFFD.
        var writer = new CalldataWriter();
        writer.WriteStartMap(2);
        writer.WriteKey("\U0001F600");
        writer.WriteNumber(2);
        Assert.That(() => writer.WriteKey("\uFFFD"), Throws.InvalidOperationException);
    }

    [Test]
    public void WriteKey_CanonicalOrderAcrossNestedMaps_Succeeds()
    {
        var writer = new CalldataWriter();
        writer.WriteStartMap(2);
        writer.WriteKey("a");
        writer.WriteStartMap(2);
        writer.WriteKey("z");
        writer.WriteNull();
        writer.WriteKey("zz");
        writer.WriteNull();
        writer.WriteKey("b");
        writer.WriteNull();
        var expected = CalldataText.Parse("{\"b\":null,\"a\":{\"zz\":null,\"z\":null}}");
        Assert.That(writer.Encode(), Is.EqualTo(CalldataCodec.Encode(expected)));
    }

    [Test]
    public void WriteKey_Duplicate_Throws()
    {
        var writer = new CalldataWriter();
        writer.WriteStartMap(2);
        writer.WriteKey("a");
        writer.WriteNull();
        Assert.That(() => writer.WriteKey("a"), Throws.InvalidOperationException);
    }

    [Test]
    public void WriteValue_MapValueWithoutKey_Throws()
    {
        var writer = new CalldataWriter();
        writer.WriteStartMap(1);
        Assert.That(() => writer.WriteNull(), Throws.InvalidOperationException);
    }

    [Test]
    public void WriteValue_SecondRootValue_ThrowsUntilReset()
    {
        var writer = new CalldataWriter();
        writer.WriteNull();
        Assert.That(() => writer.WriteBool(true), Throws.InvalidOperationException);
        writer.Reset();
        writer.WriteBool(true);
        Assert.That(writer.Encode(), Is.EqualTo(new byte[] { 0x10 }));
    }

    [Test]
    public void Encode_Incomplete_Throws()
    {
        var writer = new CalldataWriter();
        writer.WriteStartArray(2);
        writer.WriteNull();
        Assert.That(() => writer.Encode(), Throws.InvalidOperationException);
    }

    [Test]
    public void TryEncode_SmallDestination_ReturnsFalse()
    {
        var writer = new CalldataWriter();
        writer.WriteString("abc");
        Assert.That(writer.TryEncode(new byte[3], out var n0), Is.False);
        Assert.That(n0, Is.Zero);
        var destination = new byte[4];
        Assert.That(writer.TryEncode(destination, out var n), Is.True);
        Assert.That(n, Is.EqualTo(4));
        Assert.That(ToHex(destination), Is.EqualTo("1c616263"));
    }

    [Test]
    public void Writer_ExternalBufferWriter_AppendsAndCountsBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(new byte[] { 0xAA });
        var writer = new CalldataWriter(buffer);
        writer.WriteValue(CalldataText.Parse("[1,2,3]"));
        Assert.That(writer.BytesWritten, Is.EqualTo(4));
        Assert.That(ToHex(buffer.WrittenSpan), Is.EqualTo("aa1d091119"));
        Assert.That(() => writer.Encode(), Throws.InvalidOperationException);
    }

    [Test]
    public void WriteString_LoneSurrogate_ThrowsArgumentException()
    {
        var writer = new CalldataWriter();
        Assert.That(() => writer.WriteString("a\uD800"), Throws.ArgumentException);
        Assert.That(() => CalldataValue.FromString("\uDC00"), Throws.ArgumentException);
    }

    [Test]
    public void WriteUtf8String_InvalidUtf8_ThrowsArgumentException()
    {
        var writer = new CalldataWriter();
        Assert.That(() => writer.WriteUtf8String([0xFF]), Throws.ArgumentException);
    }
}
