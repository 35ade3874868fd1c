using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using GenVm.Core.Calldata;

namespace GenVm.Tests.Runners;

/// <summary>
/// Cross-check of the Python SDK's calldata encoder (<c>genlayer.py.calldata.encode</c>) against our C#
/// <see cref="CalldataCodec"/> (calldata.md): C# generates random values, Python encodes them, the bytes must agree.
/// </summary>
[TestFixture]
public sealed class PySdkCalldataCrossCheckTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Encode_RandomValues_PythonBytesEqualCSharp(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 300).Select(_ => RandomValue(random, 0)).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"genvm-pysdk-crosscheck-{Environment.ProcessId}-{seed}.jsonl");
        try
        {
            await File.WriteAllLinesAsync(file, values.Select(v => v.Tagged), new UTF8Encoding(false));
            var (code, stdout, stderr) = await PythonProcess.RunAsync(
                ["tests/encode_tagged.py", file], TimeSpan.FromMinutes(2));
            Assert.That(code, Is.EqualTo(0), stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(values.Count));
            for (var i = 0; i < values.Count; i++)
            {
                var expected = Convert.ToHexStringLower(CalldataCodec.Encode(values[i].Value));
                Assert.That(lines[i].Trim(), Is.EqualTo(expected), $"value #{i}: {values[i].Tagged}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Generated(CalldataValue Value, string Tagged);

    private static Generated RandomValue(Random random, int depth)
    {
        var kind = random.Next(depth >= 3 ? 6 : 9);
        switch (kind)
        {
            case 0:
                return new(CalldataValue.Null, "null");
            case 1:
                var b = random.Next(2) == 0;
                return new(CalldataValue.FromBool(b), b ? "true" : "false");
            case 2:
            {
                var number = RandomNumber(random);
                return new(CalldataValue.FromNumber(number), $"{{\"n\":\"{number.ToString(CultureInfo.InvariantCulture)}\"}}");
            }

            case 3:
            {
                var bytes = new byte[random.Next(random.Next(2) == 0 ? 4 : 300)];
                random.NextBytes(bytes);
                return new(CalldataValue.FromBytes(bytes), $"{{\"b\":\"{Convert.ToHexStringLower(bytes)}\"}}");
            }

            case 4:
            {
                var text = RandomString(random);
                return new(CalldataValue.FromString(text), $"{{\"s\":{JsonSerializer.Serialize(text)}}}");
            }

            case 5:
            {
                var bytes = new byte[20];
                random.NextBytes(bytes);
                return new(CalldataValue.FromAddress(new Address(bytes)), $"{{\"addr\":\"{Convert.ToHexStringLower(bytes)}\"}}");
            }

            case 6:
            case 7:
            {
                var items = Enumerable.Range(0, random.Next(5)).Select(_ => RandomValue(random, depth + 1)).ToList();
                var tag = random.Next(2) == 0 ? "a" : "t"; // Python lists and tuples both encode as arrays
                return new(
                    CalldataValue.FromArray(items.Select(i => i.Value)),
                    $"{{\"{tag}\":[{string.Join(',', items.Select(i => i.Tagged))}]}}");
            }

            default:
            {
                var entries = new Dictionary<string, Generated>(StringComparer.Ordinal);
                var count = random.Next(6);
                for (var i = 0; i < count; i++)
                {
                    entries[RandomString(random)] = RandomValue(random, depth + 1);
                }

                return new(
                    CalldataValue.FromMap(entries.Select(e => new KeyValuePair<string, CalldataValue>(e.Key, e.Value.Value))),
                    $"{{\"m\":[{string.Join(',', entries.Select(e => $"[{JsonSerializer.Serialize(e.Key)},{e.Value.Tagged}]"))}]}}");
            }
        }
    }

    private static BigInteger RandomNumber(Random random)
    {
        var bits = random.Next(4) switch { 0 => 4, 1 => 16, 2 => 64, _ => 300 };
        var bytes = new byte[(bits / 8) + 1];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        var magnitude = new BigInteger(bytes) >> random.Next(bits);
        return random.Next(2) == 0 ? magnitude : -magnitude - 1;
    }

    private static string RandomString(Random random)
    {
        // Code points from several UTF-8 lengths, astral ones and U+FFFD included: key order is by UTF-8 bytes.
        int[] pool = ['a', 'b', 'B', 'z', '0', ' ', 0xE9, 0x3A9, 0x20AC, 0xFFFD, 0xE000, 0x1F600, 0x10348, 0x7F];
        var builder = new StringBuilder();
        var length = random.Next(5);
        for (var i = 0; i < length; i++)
        {
            builder.Append(char.ConvertFromUtf32(pool[random.Next(pool.Length)]));
        }

        return builder.ToString();
    }
}
