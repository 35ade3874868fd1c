using System.Numerics;
using GenVm.Core.Calldata;
using static GenVm.Tests.Core.Calldata.CalldataTestData;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class CalldataReaderTests
{
    // calldata.md §8 worked examples, decode direction: the value printed in the lossless form.
    [TestCase("00", "null")]
    [TestCase("08", "false")]
    [TestCase("10", "true")]
    [TestCase("01", "0")]
    [TestCase("09", "1")]
    [TestCase("02", "-1")]
    [TestCase("79", "15")]
    [TestCase("8101", "16")]
    [TestCase("7a", "-16")]
    [TestCase("8201", "-17")]
    [TestCase("f903", "63")]
    [TestCase("8104", "64")]
    [TestCase("f907", "127")]
    [TestCase("8108", "128")]
    [TestCase("81808080808080808010", "18446744073709551616")]
    [TestCase("faffffffffffffffff0f", "-18446744073709551616")]
    [TestCase("04", "\"\"")]
    [TestCase("1c616263", "\"abc\"")]
    [TestCase("14c3a9", "\"\\u00e9\"")]
    [TestCase("03", "b#")]
    [TestCase("1b010203", "b#010203")]
    [TestCase("1603efbfbd0904f09f988011", "{\"\\ufffd\":1,\"\\ud83d\\ude00\":2}")]
    [TestCase("05", "[]")]
    [TestCase("1d091119", "[1,2,3]")]
    [TestCase("06", "{}")]
    [TestCase("1601610901621d091119", "{\"a\":1,\"b\":[1,2,3]}")]
    [TestCase("16046172677305066d6574686f641c666f6f", "{\"args\":[],\"method\":\"foo\"}")]
    [TestCase("2601422101611102616119016209", "{\"B\":4,\"a\":2,\"aa\":3,\"b\":1}")]
    [TestCase("1d001008", "[null,true,false]")]
    [TestCase("180101010101010101010101010101010101010101", "addr#0101010101010101010101010101010101010101")]
    [TestCase("0e017851", "{\"x\":10}")]
    [TestCase("0e0e6c6561646572735f726573756c742b001c313233", "{\"leaders_result\":b#001c313233}")]
    public void Decode_WorkedExample_MatchesSpec(string hex, string text)
    {
        var value = CalldataCodec.Decode(Hex(hex));
        Assert.That(CalldataText.Print(value), Is.EqualTo(text));
        Assert.That(ToHex(CalldataCodec.Encode(value)), Is.EqualTo(hex));
    }

    [Test]
    public void Decode_TwoPow256MinusOne_IsExact()
    {
        var hex = "f9" + string.Concat(Enumerable.Repeat("ff", 35)) + "7f";
        Assert.That(CalldataCodec.Decode(Hex(hex)).AsNumber(), Is.EqualTo((BigInteger.One << 256) - 1));
    }

    [Test]
    public void Decode_String300_IsThreeHundredX()
    {
        var hex = "e412" + string.Concat(Enumerable.Repeat("78", 300));
        Assert.That(CalldataCodec.Decode(Hex(hex)).AsString(), Is.EqualTo(new string('x', 300)));
    }

    [Test]
    public void Decode_MessageBlob_EqualsBuiltValue()
    {
        var bytes = Hex(MessageBlobHex());
        Assert.That(bytes, Has.Length.EqualTo(225));
        var value = CalldataCodec.Decode(bytes);
        Assert.That(value, Is.EqualTo(MessageBlobValue()));
        var map = value.AsMap();
        Assert.That(map["datetime"].AsString(), Is.EqualTo("2024-11-26T06:42:42.424242Z"));
        Assert.That(map["sender_address"].AsAddress().ToHex(), Is.EqualTo("02" + new string('0', 38)));
        Assert.That(map.Keys, Is.EqualTo(new[]
        {
            "chain_id", "contract_address", "datetime", "entry_data", "entry_kind", "entry_stage_data", "is_init",
            "origin_address", "sender_address", "stack", "value",
        }));
    }

    // calldata.md §8 rejected inputs and §2/§3/§4/§6 rules, with the reference's reason and the offset.
    [TestCase("8000", "most significant octet can not be zero", 0)]
    [TestCase("8800", "most significant octet can not be zero", 0)]
    [TestCase("818000", "most significant octet can not be zero", 0)]
    [TestCase("20", "invalid special 32, full=32", 0)]
    [TestCase("38", "invalid special 56, full=56", 0)]
    [TestCase("a001", "invalid special 160, full=160", 0)]
    [TestCase("8002", "invalid special value 256", 0)]
    [TestCase("07", "invalid type 7", 0)]
    [TestCase("8701", "invalid type 7", 0)]
    [TestCase("0000", "input is partially unparsed", 1)]
    [TestCase("16016200016100", "invalid calldata map ordering old=`b` new=`a`", 4)]
    [TestCase("16016100016100", "invalid calldata map ordering old=`a` new=`a`", 4)]
    [TestCase("1602616100016100", "invalid calldata map ordering old=`aa` new=`a`", 5)]
    [TestCase("0cff", "invalid utf-8 sequence of 1 bytes from index 0", 0)]
    [TestCase("0cc3", "incomplete utf-8 byte sequence from index 0", 0)]
    [TestCase("180102", "invalid size", 0)]
    [TestCase("", "unterminated uleb", 0)]
    [TestCase("81", "unterminated uleb", 0)]
    [TestCase("0d", "unterminated uleb", 1)]
    [TestCase("1d0911", "unterminated uleb", 3)]
    [TestCase("1b01", "invalid size", 0)]
    [TestCase("0d1b01", "invalid size", 1)]
    [TestCase("838080808001", "container size is too large 33>32", 0)]
    [TestCase("85808080808001", "container size is too large 40>32", 0)]
    [TestCase("0e8080808010", "container size is too large 33>32", 1)]
    [TestCase("0e0561", "invalid size", 1)]
    [TestCase("0e01ff00", "invalid utf-8 sequence of 1 bytes from index 0", 1)]
    [TestCase("0e8100", "most significant octet can not be zero", 1)]
    [TestCase("0e", "unterminated uleb", 1)]
    [TestCase("0e0178", "unterminated uleb", 3)]
    [TestCase("1d09118000", "most significant octet can not be zero", 3)]
    public void Decode_InvalidInput_ThrowsWithReasonAndOffset(string hex, string reason, int offset)
    {
        var ex = Assert.Throws<CalldataFormatException>(() => CalldataCodec.Decode(Hex(hex)));
        Assert.That(ex!.Reason, Is.EqualTo(reason));
        Assert.That(ex.Offset, Is.EqualTo(offset));
        Assert.That(ex.Message, Does.Contain(reason));

        // The validating skip agrees with the decoder.
        var ex2 = Assert.Throws<CalldataFormatException>(() => CalldataCodec.Validate(Hex(hex)));
        Assert.That(ex2!.Reason, Is.EqualTo(reason));
    }

    [TestCase("00" + "1d0911")]
    [TestCase("00" + "8000")]
    [TestCase("00" + "16016200016100")]
    [TestCase("00" + "07")]
    [TestCase("00" + "180102")]
    public void ReadValue_Failure_LeavesPositionUnchanged(string hex)
    {
        var bytes = Hex(hex);
        var reader = new CalldataReader(bytes);
        Assert.That(reader.ReadValue().IsNull, Is.True);
        Assert.That(reader.Position, Is.EqualTo(1));
        var failed = false;
        try
        {
            reader.ReadValue();
        }
        catch (CalldataFormatException)
        {
            failed = true;
        }

        Assert.That(failed, Is.True);
        Assert.That(reader.Position, Is.EqualTo(1));
        try
        {
            reader.SkipValue();
        }
        catch (CalldataFormatException)
        {
        }

        Assert.That(reader.Position, Is.EqualTo(1));
    }

    [Test]
    public void TypedReads_WrongKind_LeavePositionUnchanged()
    {
        var reader = new CalldataReader(Hex("1c616263"));
        var errors = 0;
        try
        {
            reader.ReadBool();
        }
        catch (CalldataFormatException)
        {
            errors++;
        }

        try
        {
            reader.ReadBytes();
        }
        catch (CalldataFormatException)
        {
            errors++;
        }

        Assert.That(errors, Is.EqualTo(2));
        Assert.That(reader.Position, Is.Zero);
        Assert.That(reader.PeekKind(), Is.EqualTo(CalldataKind.Str));
        Assert.That(reader.ReadString(), Is.EqualTo("abc"));
        reader.ReadEnd();
    }

    [Test]
    public void TypedReads_Sequence_ReadEachKind()
    {
        var bytes = Hex("00" + "10" + "7a" + "1b010203" + "180101010101010101010101010101010101010101");
        var reader = new CalldataReader(bytes);
        reader.ReadNull();
        Assert.That(reader.ReadBool(), Is.True);
        Assert.That(reader.ReadNumber(), Is.EqualTo(new BigInteger(-16)));
        Assert.That(reader.ReadBytes().ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(reader.ReadAddress().ToHex(), Is.EqualTo(string.Concat(Enumerable.Repeat("01", 20))));
        Assert.That(reader.BytesRemaining, Is.Zero);
    }

    [Test]
    public void StreamingReads_MessageBlob_ReadEntryByEntry()
    {
        var reader = new CalldataReader(Hex(MessageBlobHex()));
        var map = reader.ReadStartMap();
        Assert.That(map.Count, Is.EqualTo(11));
        var keys = new List<string>();
        while (map.Remaining > 0)
        {
            var key = reader.ReadMapKey(ref map);
            keys.Add(key);
            if (key == "stack")
            {
                Assert.That(reader.ReadStartArray(), Is.Zero);
            }
            else if (key == "datetime")
            {
                Assert.That(reader.ReadString(), Is.EqualTo("2024-11-26T06:42:42.424242Z"));
            }
            else
            {
                reader.SkipValue();
            }
        }

        reader.ReadEnd();
        Assert.That(keys, Has.Count.EqualTo(11));
        Assert.That(reader.BytesRemaining, Is.Zero);
    }

    [TestCase("16016200016100", "invalid calldata map ordering old=`b` new=`a`", 4)]
    [TestCase("16016100016100", "invalid calldata map ordering old=`a` new=`a`", 4)]
    [TestCase("160161000561", "invalid size", 4)]
    public void ReadMapKey_BadSecondKey_ThrowsAndKeepsPosition(string hex, string reason, int offset)
    {
        var reader = new CalldataReader(Hex(hex));
        var map = reader.ReadStartMap();
        Assert.That(reader.ReadMapKey(ref map), Is.EqualTo("a").Or.EqualTo("b"));
        reader.ReadNull();
        CalldataFormatException? caught = null;
        try
        {
            reader.ReadMapKey(ref map);
        }
        catch (CalldataFormatException e)
        {
            caught = e;
        }

        Assert.That(caught?.Reason, Is.EqualTo(reason));
        Assert.That(caught!.Offset, Is.EqualTo(offset));
        Assert.That(reader.Position, Is.EqualTo(offset));
        Assert.That(map.Remaining, Is.EqualTo(1));
    }

    [TestCase("85808080808001")] // not reachable: 40 bits > 32 (size limit)
    [TestCase("8580808040")] // array claiming 2^31 elements in a 5-byte input
    [TestCase("8680808040")] // map claiming 2^31 entries
    [TestCase("fdffffff7f")] // array claiming 2^32-1 elements
    [TestCase("fbffffff7f")] // bytes claiming 2^32-1 octets
    [TestCase("fcffffff7f")] // string claiming 2^32-1 octets
    [TestCase("0efcffff7f")] // map key claiming 2^28-1 octets
    public void Decode_HugeDeclaredLength_FailsWithoutAllocating(string hex)
    {
        var bytes = Hex(hex);
        Assert.Throws<CalldataFormatException>(() => CalldataCodec.Decode(bytes)); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<CalldataFormatException>(() => CalldataCodec.Decode(bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.LessThan(64 * 1024));
    }

    [Test]
    public void Decode_MillionNestedArrays_DecodesEncodesComparesAndPrints()
    {
        const int Depth = 1_000_000;
        var bytes = new byte[Depth + 1];
        bytes.AsSpan(0, Depth).Fill(0x0D); // [x] with one element
        bytes[Depth] = 0x05; // []
        var value = CalldataCodec.Decode(bytes);

        var depth = 0;
        var cursor = value;
        while (cursor.AsArray().Count == 1)
        {
            cursor = cursor.AsArray()[0];
            depth++;
        }

        Assert.That(depth, Is.EqualTo(Depth));
        Assert.That(CalldataCodec.Encode(value), Is.EqualTo(bytes));
        CalldataCodec.Validate(bytes);

        var again = CalldataCodec.Decode(bytes);
        Assert.That(again.Equals(value), Is.True);
        Assert.That(again.GetHashCode(), Is.EqualTo(value.GetHashCode()));

        var text = value.ToString();
        Assert.That(text, Has.Length.EqualTo((2 * Depth) + 2));
        Assert.That(CalldataText.Parse(text).Equals(value), Is.True);
        Assert.That(CalldataText.PrintDebug(value), Is.EqualTo(text));
    }

    [Test]
    public void Decode_MillionNestedMaps_RoundTrips()
    {
        const int Depth = 1_000_000;
        var bytes = new byte[(3 * Depth) + 1];
        for (var i = 0; i < Depth; i++)
        {
            bytes[3 * i] = 0x0E; // map of 1
            bytes[(3 * i) + 1] = 0x01; // key length 1
            bytes[(3 * i) + 2] = 0x6B; // "k"
        }

        bytes[3 * Depth] = 0x00;
        var value = CalldataCodec.Decode(bytes);
        Assert.That(CalldataCodec.Encode(value), Is.EqualTo(bytes));
        Assert.That(CalldataText.Parse(CalldataText.Print(value)).Equals(value), Is.True);
    }

    [Test]
    public void Decode_MillionUnclosedArrays_FailsCleanly()
    {
        var bytes = new byte[1_000_000];
        bytes.AsSpan().Fill(0x0D);
        var ex = Assert.Throws<CalldataFormatException>(() => CalldataCodec.Decode(bytes));
        Assert.That(ex!.Reason, Is.EqualTo("unterminated uleb"));
        Assert.That(ex.Offset, Is.EqualTo(bytes.Length));
    }
}
