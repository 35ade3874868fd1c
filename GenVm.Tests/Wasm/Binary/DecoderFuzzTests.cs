using System.Diagnostics;
using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Validation;

namespace GenVm.Tests.Wasm.Binary;

/// <summary>
/// Mutation fuzzing of <see cref="ModuleDecoder"/> + <see cref="ModuleValidator"/>: valid modules of the spec test
/// suite are mutated (bit flips, byte insertion/deletion/overwrite, truncation, LEB128 stretching, slice
/// duplication) with a fixed seed. Every case must end in a definition, a <see cref="ModuleDecodeException"/> or a
/// <see cref="ModuleValidationException"/>: never another exception, a crash or a hang.
/// </summary>
[TestFixture]
public sealed class DecoderFuzzTests
{
    private const int Seed = 20261121;
    private const int MaxCases = 200_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(120);

    private static readonly string[] CorpusScripts =
    [
        "binary.wast", "binary-leb128.wast", "block.wast", "br_table.wast", "bulk.wast", "call_indirect.wast",
        "custom.wast", "data.wast", "elem.wast", "exports.wast", "func.wast", "global.wast", "imports.wast",
        "loop.wast", "memory.wast", "memory_init.wast", "ref_func.wast", "select.wast", "start.wast",
        "table_copy.wast", "unreached-valid.wast", "tail-call/return_call.wast", "tail-call/return_call_indirect.wast",
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF, 0x60, 0x70, 0x6F, 0x7B, 0xFC, 0xFD, 0x0E, 0x41];

    [Test]
    public void DecodeAndValidate_MutatedSpecModules_OnlyWasmErrors()
    {
        Assert.That(WastJson.ToolAvailable(), Is.True, "wast2json (Debian package wabt) is required: scripts/install-deps");
        if (!Directory.Exists(WastJson.SuiteDirectory))
        {
            Assert.Ignore($"spec test suite not found at {WastJson.SuiteDirectory}");
        }

        var corpus = LoadCorpus();
        Assert.That(corpus, Has.Count.GreaterThan(100), "corpus of valid spec modules");

        var outcome = new FuzzOutcome();
        var run = Task.Run(() => Fuzz(corpus, outcome));
        if (!run.Wait(HangLimit))
        {
            Assert.Fail($"fuzz case {outcome.CurrentCase} did not finish (hang?): {Convert.ToHexString(outcome.CurrentInput ?? [])}");
        }

        TestContext.Out.WriteLine(
            $"corpus {corpus.Count} modules; {outcome.Cases} cases in {outcome.Elapsed.TotalSeconds:F1} s: " +
            $"{outcome.Accepted} accepted, {outcome.DecodeErrors} decode errors, {outcome.ValidationErrors} validation errors");
        Assert.That(outcome.Failures, Is.Empty);
        Assert.That(outcome.Cases, Is.GreaterThan(1000));
        Assert.That(outcome.DecodeErrors, Is.GreaterThan(0));
        Assert.That(outcome.ValidationErrors + outcome.Accepted, Is.GreaterThan(0));
    }

    private static List<byte[]> LoadCorpus()
    {
        var directory = WastJson.NewTempDirectory("genvm-fuzz");
        try
        {
            var modules = new List<byte[]>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var script in CorpusScripts)
            {
                var commands = WastJson.Convert(script, Path.Combine(directory, Path.GetFileNameWithoutExtension(script)), out _);
                foreach (var command in commands ?? [])
                {
                    if (command.Type == "module" && command.ModuleType == "binary")
                    {
                        var bytes = File.ReadAllBytes(command.ModulePath);
                        if (seen.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))))
                        {
                            modules.Add(bytes);
                        }
                    }
                }
            }

            return modules;
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private static void Fuzz(List<byte[]> corpus, FuzzOutcome outcome)
    {
        var random = new Random(Seed);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < MaxCases && clock.Elapsed < Budget; i++)
        {
            var input = Mutate(corpus[random.Next(corpus.Count)], random);
            outcome.CurrentCase = i;
            outcome.CurrentInput = input;
            try
            {
                var module = ModuleDecoder.Decode(input, WasmFeatures.Default);
                ModuleValidator.Validate(module, WasmFeatures.Default);
                outcome.Accepted++;
            }
            catch (ModuleDecodeException)
            {
                outcome.DecodeErrors++;
            }
            catch (ModuleValidationException)
            {
                outcome.ValidationErrors++;
            }
#pragma warning disable CA1031 // The point of the test is to catch anything else.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (outcome.Failures.Count < 10)
                {
                    outcome.Failures.Add($"case {i}: {e.GetType().Name}: {e.Message} input {Convert.ToHexString(input)}");
                }
            }

            outcome.Cases++;
        }

        outcome.Elapsed = clock.Elapsed;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var rounds = 1 + random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            // Keep the header most of the time so the mutations reach the sections.
            var from = bytes.Count > 8 && random.Next(10) != 0 ? 8 : 0;
            var position = from + random.Next(Math.Max(1, bytes.Count - from));
            switch (random.Next(7))
            {
                case 0 when position < bytes.Count:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(Math.Min(position, bytes.Count), (byte)random.Next(256));
                    break;
                case 2 when position < bytes.Count:
                    bytes.RemoveAt(position);
                    break;
                case 3:
                    bytes.RemoveRange(Math.Min(position, bytes.Count), bytes.Count - Math.Min(position, bytes.Count));
                    break;
                case 4 when position < bytes.Count && bytes[position] < 0x80:
                    // LEB128 stretching: same value, one more byte (over-long past 5/10 bytes, or sizes now off).
                    bytes[position] |= 0x80;
                    bytes.Insert(position + 1, 0x00);
                    break;
                case 5 when position < bytes.Count:
                    bytes[position] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 6 when position < bytes.Count:
                    var length = Math.Min(1 + random.Next(16), bytes.Count - position);
                    bytes.InsertRange(position, bytes.GetRange(position, length));
                    break;
                default:
                    if (position < bytes.Count)
                    {
                        bytes[position] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    private sealed class FuzzOutcome
    {
        public int Cases { get; set; }

        public int Accepted { get; set; }

        public int DecodeErrors { get; set; }

        public int ValidationErrors { get; set; }

        public TimeSpan Elapsed { get; set; }

        public volatile int CurrentCase;

        public byte[]? CurrentInput { get; set; }

        public List<string> Failures { get; } = [];
    }
}
