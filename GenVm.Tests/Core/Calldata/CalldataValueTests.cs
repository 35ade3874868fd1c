using System.Numerics;
using GenVm.Core.Calldata;
using static GenVm.Tests.Core.Calldata.CalldataTestData;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class CalldataValueTests
{
    [Test]
    public void FromMap_AstralAndBmpKeys_SortedByUtf8NotUtf16()
    {
        // calldata.md §5 pitfall / example 14: string.CompareOrdinal would put U+1F600 first.
        Assert.That(string.CompareOrdinal("\U0001F600", "\uFFFD"), Is.LessThan(0));
        var map = CalldataValue.FromMap(("\U0001F600", 2), ("\uFFFD", 1));
        Assert.That(map.Keys, Is.EqualTo(new[] { "\uFFFD", "\U0001F600" }));
        Assert.That(ToHex(CalldataCodec.Encode(map)), Is.EqualTo("1603efbfbd0904f09f988011"));
        Assert.That(map["\U0001F600"].AsNumber(), Is.EqualTo(new BigInteger(2)));
    }

    [Test]
    public void KeyComparer_RandomStrings_AgreesWithUtf8ByteOrder()
    {
        var random = new Random(1234);
        char[] alphabet = ['a', 'b', '\u00e9', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF'];
        for (var n = 0; n < 5000; n++)
        {
            var x = RandomKey(random, alphabet);
            var y = RandomKey(random, alphabet);
            var expected = Math.Sign(System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y)));
            Assert.That(Math.Sign(CalldataKeyComparer.Instance.Compare(x, y)), Is.EqualTo(expected), $"{x} vs {y}");
        }
    }

    private static string RandomKey(Random random, char[] alphabet)
    {
        var sb = new System.Text.StringBuilder();
        var length = random.Next(0, 4);
        for (var i = 0; i < length; i++)
        {
            if (random.Next(4) == 0)
            {
                sb.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF)));
            }
            else
            {
                sb.Append(alphabet[random.Next(alphabet.Length)]);
            }
        }

        return sb.ToString();
    }

    [Test]
    public void FromMap_DuplicateKey_Throws()
    {
        Assert.That(() => CalldataValue.FromMap(("a", 1), ("a", 2)), Throws.ArgumentException);
    }

    [Test]
    public void FromMap_LoneSurrogateKey_Throws()
    {
        Assert.That(() => CalldataValue.FromMap(("\uD800", 1)), Throws.ArgumentException);
    }

    [Test]
    public void Map_Lookup_FindsEveryKeyAndMissesOthers()
    {
        var map = CalldataText.Parse("{\"b\":1,\"a\":2,\"aa\":3,\"B\":4}").AsMap();
        Assert.That(map.Count, Is.EqualTo(4));
        Assert.That(map["a"].AsNumber(), Is.EqualTo(new BigInteger(2)));
        Assert.That(map["B"].AsNumber(), Is.EqualTo(new BigInteger(4)));
        Assert.That(map.ContainsKey("c"), Is.False);
        Assert.That(map.TryGetValue("aa", out var aa) && aa.AsNumber() == 3, Is.True);
        Assert.That(() => map["zz"], Throws.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void Equality_StructurallyEqualValues_AreEqualWithSameHash()
    {
        var a = CalldataText.Parse("{\"x\":[1,b#00ff,\"s\",null,true,addr#0000000000000000000000000000000000000001]}");
        var b = CalldataText.Parse("{ \"x\" : [ 1, b#00FF, \"s\", null, true, addr#0000000000000000000000000000000000000001 ] }");
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a == b, Is.True);
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
    }

    [TestCase("1", "2")]
    [TestCase("1", "\"1\"")]
    [TestCase("b#01", "b#0102")]
    [TestCase("[1,2]", "[1]")]
    [TestCase("[1,[2]]", "[1,[3]]")]
    [TestCase("{\"a\":1}", "{\"b\":1}")]
    [TestCase("{\"a\":1}", "{\"a\":2}")]
    [TestCase("true", "false")]
    [TestCase("null", "false")]
    [TestCase("addr#0000000000000000000000000000000000000001", "addr#0000000000000000000000000000000000000002")]
    public void Equality_DifferentValues_AreNotEqual(string x, string y)
    {
        Assert.That(CalldataText.Parse(x), Is.Not.EqualTo(CalldataText.Parse(y)));
        Assert.That(CalldataText.Parse(x) != CalldataText.Parse(y), Is.True);
    }

    [Test]
    public void FromBytes_CopiesInput()
    {
        var source = new byte[] { 1, 2, 3 };
        var value = CalldataValue.FromBytes(source);
        source[0] = 9;
        Assert.That(value.AsBytes().ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Accessors_WrongKind_ThrowInvalidOperation()
    {
        CalldataValue value = 5;
        Assert.That(() => value.AsString(), Throws.InvalidOperationException);
        Assert.That(() => value.AsMap(), Throws.InvalidOperationException);
        Assert.That(value.AsNumber(), Is.EqualTo(new BigInteger(5)));
    }

    [Test]
    public void Address_ParseAndFormat_RoundTrip()
    {
        var address = Address.Parse("0x00112233445566778899AABBCCDDEEFF00112233");
        Assert.That(address.ToString(), Is.EqualTo("0x00112233445566778899aabbccddeeff00112233"));
        Assert.That(address.ToArray()[19], Is.EqualTo(0x33));
        Assert.That(new Address(address.ToArray()), Is.EqualTo(address));
        Assert.That(Address.TryParse("0x0011", out _), Is.False);
        Assert.That(() => new Address(new byte[19]), Throws.ArgumentException);
        Assert.That(Address.Zero < address, Is.True);
    }
}
