using System.Numerics;
using System.Text;
using GenVm.Core.Calldata;

namespace GenVm.Tests.Core.Calldata;

/// <summary>Deterministic random calldata values for property tests.</summary>
internal sealed class RandomCalldata
{
    private static readonly string[] KeyPool = ["", "a", "aa", "b", "B", "\u00e9", "\uFFFD", "\U0001F600", "key", "\uE000", "\0"];

    private readonly Random _random;

    public RandomCalldata(int seed) => _random = new Random(seed);

    public CalldataValue Next(int depth = 4)
    {
        var choice = _random.Next(depth > 0 ? 10 : 7);
        switch (choice)
        {
            case 0:
                return _random.Next(3) switch { 0 => CalldataValue.Null, 1 => CalldataValue.True, _ => CalldataValue.False };
            case 1:
            case 2:
                return CalldataValue.FromNumber(NextNumber());
            case 3:
            {
                var bytes = new byte[_random.Next(0, _random.Next(2) == 0 ? 8 : 300)];
                _random.NextBytes(bytes);
                return CalldataValue.FromBytes(bytes);
            }

            case 4:
            case 5:
                return CalldataValue.FromString(NextString());
            case 6:
            {
                var bytes = new byte[20];
                _random.NextBytes(bytes);
                return new Address(bytes);
            }

            case 7:
            case 8:
            {
                var count = _random.Next(0, 6);
                var items = new CalldataValue[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = Next(depth - 1);
                }

                return CalldataValue.FromArray(items);
            }

            default:
            {
                var count = _random.Next(0, 6);
                var entries = new Dictionary<string, CalldataValue>(StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    var key = _random.Next(2) == 0 ? KeyPool[_random.Next(KeyPool.Length)] : NextString();
                    entries[key] = Next(depth - 1);
                }

                return CalldataValue.FromMap(entries);
            }
        }
    }

    public BigInteger NextNumber()
    {
        switch (_random.Next(4))
        {
            case 0:
                return _random.Next(-300, 300);
            case 1:
                return _random.NextInt64(long.MinValue, long.MaxValue);
            default:
            {
                var bytes = new byte[_random.Next(1, 70)];
                _random.NextBytes(bytes);
                var magnitude = new BigInteger(bytes, isUnsigned: true);
                return _random.Next(2) == 0 ? magnitude : -magnitude;
            }
        }
    }

    public string NextString()
    {
        var sb = new StringBuilder();
        var length = _random.Next(0, 12);
        for (var i = 0; i < length; i++)
        {
            var kind = _random.Next(6);
            int scalar = kind switch
            {
                0 => _random.Next(0, 0x20),
                1 => _random.Next(0x20, 0x7F),
                2 => _random.Next(0x7F, 0x800),
                3 => _random.Next(0x800, 0xD800),
                4 => _random.Next(0xE000, 0x10000),
                _ => _random.Next(0x10000, 0x110000),
            };
            sb.Append(char.ConvertFromUtf32(scalar));
        }

        return sb.ToString();
    }

    public byte[] NextBytes(int maxLength)
    {
        var bytes = new byte[_random.Next(0, maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    public int Next(int min, int max) => _random.Next(min, max);
}
