using System.Text;
using GenVm.Core.Messages;

namespace GenVm.Tests.Core.Messages;

/// <summary>
/// Random mutations of valid <c>--message</c> JSON (host-protocol.md §10) and of RFC 3339 date-times: the parsers
/// either accept the input or fail with their own exception (<see cref="MessageFormatException"/>,
/// <c>TryParse</c> = false), never with anything else, and an accepted message re-encodes.
/// </summary>
[TestFixture]
public sealed class MessageJsonFuzzTests
{
    private const int Iterations = 20_000;

    private const string Seed =
        "{\"contract_address\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"sender_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\"," +
        "\"origin_address\":\"AgAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"chain_id\":\"-61999\",\"value\":18446744073709551615," +
        "\"is_init\":true,\"datetime\":\"2025-01-02T03:04:05.123456789+01:00\",\"extra\":[1,{\"a\":null}]}";

    // Characters that change JSON structure, numbers, base64 and date-times.
    private const string Alphabet = "{}[]\",:0123456789+-.eE:TtZz nulltruefalse=/AQg\\\u00e9\u0000";

    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0 when at < text.Length:
                    text[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, random.Next(1, Math.Min(12, text.Length - at) + 1));
                    break;
                case 2:
                    text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    // Duplicate a slice elsewhere: repeated fields, nested values, long numbers.
                    var from = random.Next(text.Length);
                    var slice = text.ToString(from, random.Next(0, Math.Min(30, text.Length - from) + 1));
                    text.Insert(Math.Min(at, text.Length), slice);
                    break;
            }
        }

        return text.ToString();
    }

    [Test]
    public void Parse_RandomMutations_AcceptOrMessageFormatException()
    {
        var random = new Random(20261121);
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var json = Mutate(random, Seed);
            try
            {
                var message = MessageJson.Parse(json);
                Assert.That(message.Datetime.ToRfc3339(), Is.Not.Empty, json);
                accepted++;
            }
            catch (MessageFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for {json}: {e.Message}");
            }
        }

        TestContext.Out.WriteLine($"{accepted} accepted, {rejected} rejected");
        Assert.That(accepted, Is.GreaterThan(Iterations / 50), "mutations keep some messages valid (the fuzzer reaches the field checks)");
        Assert.That(rejected, Is.GreaterThan(Iterations / 2));
    }

    [Test]
    public void DatetimeTryParse_RandomMutations_NeverThrows()
    {
        var random = new Random(7);
        string[] seeds = ["2025-01-02T03:04:05.123456789+01:00", "1970-01-01t00:00:00z", "2024-11-26 06:42:42.424242Z", "9999-12-31T23:59:59-2359"];
        var accepted = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var text = Mutate(random, seeds[i % seeds.Length]);
            try
            {
                if (MessageDatetime.TryParse(text, out var value, out _))
                {
                    _ = value.ToRfc3339();
                    accepted++;
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} for `{text}`: {e.Message}");
            }
        }

        Assert.That(accepted, Is.GreaterThan(0));
    }
}
