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
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < 30_000; n++)
        {
            byte[] input;
            if (n % 4 == 0)
            {
                input = random.NextBytes(24);
            }
            else if (n % 4 == 1)
            {
                // Octets biased towards headers, continuations and short keys, to reach every rejection rule.
                input = new byte[random.Next(0, 24)];
                for (var i = 0; i < input.Length; i++)
                {
                    input[i] = Biased[random.Next(0, Biased.Length)];
                }
            }
            else
            {
                input = Mutate(random, seeds[random.Next(0, seeds.Count)]);
            }

            CalldataValue? value = null;
            string? error = null;
            var errorOffset = -1;
            try
            {
                value = CalldataCodec.Decode(input);
            }
            catch (CalldataFormatException e)
            {
                error = e.Reason;
                errorOffset = e.Offset;
                Assert.That(e.Offset, Is.InRange(0, input.Length));
            }

            // Anything else (IndexOutOfRange, Overflow, OutOfMemory, ...) escapes and fails the test.
            // The naive spec-transcribing oracle must agree on acceptance, reason and offset.
            var (oracleReason, oracleOffset) = ReferenceDecoder.Check(input);
            var reason = error is not null && (error.StartsWith("invalid utf-8", StringComparison.Ordinal) || error.StartsWith("incomplete utf-8", StringComparison.Ordinal))
                ? "utf-8"
                : error;
            Assert.That(reason, Is.EqualTo(oracleReason), Convert.ToHexString(input));
            if (error is not null)
            {
                Assert.That(errorOffset, Is.EqualTo(oracleOffset), Convert.ToHexString(input));
            }

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
                var kind = error!.Split(' ')[0] + " " + error.Split(' ')[1];
                reasons[kind] = reasons.GetValueOrDefault(kind) + 1;
                var again = Assert.Throws<CalldataFormatException>(() => CalldataCodec.Validate(input));
                Assert.That(again!.Reason, Is.EqualTo(error), Convert.ToHexString(input));
            }
        }

        TestContext.Out.WriteLine($"fuzz: {accepted} accepted, {rejected} rejected in {stopwatch.ElapsedMilliseconds} ms");
        foreach (var (kind, count) in reasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            TestContext.Out.WriteLine($"  {kind}: {count}");
        }

        // Every rejection rule of calldata.md §6 was reached.
        Assert.That(reasons.Keys, Is.SupersetOf(new[]
        {
            "unterminated uleb", "most significant", "invalid type", "invalid special", "container size", "invalid size",
            "invalid utf-8", "invalid calldata", "input is",
        }));
        Assert.That(accepted, Is.GreaterThan(1000));
        Assert.That(rejected, Is.GreaterThan(1000));
    }

    private static readonly byte[] Biased =
        [0x00, 0x01, 0x02, 0x05, 0x06, 0x0C, 0x0D, 0x0E, 0x10, 0x16, 0x18, 0x20, 0x61, 0x62, 0x7F, 0x80, 0x81, 0x87, 0xC3, 0xFF];

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
