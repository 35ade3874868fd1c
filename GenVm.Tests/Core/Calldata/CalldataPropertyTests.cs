using System.Diagnostics;
using GenVm.Core.Calldata;

namespace GenVm.Tests.Core.Calldata;

[TestFixture]
public sealed class CalldataPropertyTests
{
    [Test]
    public void EncodeDecode_RandomValues_RoundTrip()
    {
        var random = new RandomCalldata(seed: 20251120);
        for (var n = 0; n < 3000; n++)
        {
            var value = random.Next();
            var bytes = CalldataCodec.Encode(value);
            var decoded = CalldataCodec.Decode(bytes);
            Assert.That(decoded, Is.EqualTo(value), $"case {n}");
            Assert.That(decoded.GetHashCode(), Is.EqualTo(value.GetHashCode()));
            Assert.That(CalldataCodec.Encode(decoded), Is.EqualTo(bytes));
        }
    }

    [Test]
    public void TextForm_RandomValues_RoundTrip()
    {
        var random = new RandomCalldata(seed: 7);
        for (var n = 0; n < 3000; n++)
        {
            var value = random.Next();
            var text = CalldataText.Print(value);
            var parsed = CalldataText.Parse(text);
            Assert.That(parsed, Is.EqualTo(value), text);
            Assert.That(CalldataText.Print(parsed), Is.EqualTo(text));
            Assert.That(text.All(c => c < 0x80), Is.True, "the printer emits pure ASCII");
        }
    }

    [Test]
    public void EncodeParsePrintDecode_RandomBinary_ReproducesBytes()
    {
        // For every valid binary x: encode(parse(print(decode(x)))) == x.
        var random = new RandomCalldata(seed: 99);
        for (var n = 0; n < 2000; n++)
        {
            var x = CalldataCodec.Encode(random.Next());
            var text = CalldataText.Print(CalldataCodec.Decode(x));
            Assert.That(CalldataCodec.Encode(CalldataText.Parse(text)), Is.EqualTo(x), text);
        }
    }

    [Test]
    public void Decode_RandomAndMutatedBytes_EndInValueOrFormatException()
    {
        var random = new RandomCalldata(seed: 4242);
        var seeds = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            seeds.Add(CalldataCodec.Encode(random.Next(3)));
        }

        var stopwatch = Stopwatch.StartNew();
        int accepted = 0, rejected = 0;
        for (var n = 0; n < 40_000; n++)
        {
            byte[] input;
            if (n % 4 == 0)
            {
                input = random.NextBytes(24);
            }
            else
            {
                input = Mutate(random, seeds[random.Next(0, seeds.Count)]);
            }

            CalldataValue? value = null;
            string? error = null;
            try
            {
                value = CalldataCodec.Decode(input);
            }
            catch (CalldataFormatException e)
            {
                error = e.Reason;
                Assert.That(e.Offset, Is.InRange(0, input.Length));
            }

            // Anything else (IndexOutOfRange, Overflow, OutOfMemory, ...) escapes and fails the test.
            if (value is not null)
            {
                accepted++;

                // Only canonical encodings are accepted, so re-encoding gives back the input exactly (calldata.md §6).
                Assert.That(CalldataCodec.Encode(value), Is.EqualTo(input), Convert.ToHexString(input));
                Assert.DoesNotThrow(() => CalldataCodec.Validate(input));
            }
            else
            {
                rejected++;
                var again = Assert.Throws<CalldataFormatException>(() => CalldataCodec.Validate(input));
                Assert.That(again!.Reason, Is.EqualTo(error), Convert.ToHexString(input));
            }
        }

        TestContext.Out.WriteLine($"fuzz: {accepted} accepted, {rejected} rejected in {stopwatch.ElapsedMilliseconds} ms");
        Assert.That(accepted, Is.GreaterThan(1000));
        Assert.That(rejected, Is.GreaterThan(1000));
    }

    private static byte[] Mutate(RandomCalldata random, byte[] seed)
    {
        var list = new List<byte>(seed);
        var edits = random.Next(0, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(0, 5))
            {
                case 0 when list.Count > 0:
                    list[random.Next(0, list.Count)] ^= (byte)(1 << random.Next(0, 8));
                    break;
                case 1 when list.Count > 0:
                    list.RemoveAt(random.Next(0, list.Count));
                    break;
                case 2:
                    list.Insert(random.Next(0, list.Count + 1), (byte)random.Next(0, 256));
                    break;
                case 3 when list.Count > 0:
                    list.RemoveRange(random.Next(0, list.Count), 1);
                    break;
                default:
                    if (list.Count > 0)
                    {
                        list[random.Next(0, list.Count)] = (byte)random.Next(0, 256);
                    }

                    break;
            }
        }

        return [.. list];
    }
}
