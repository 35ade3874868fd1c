using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

/// <summary>Random mutations of valid archives: the readers and runner.json parsing fail only with <see cref="RunnerLoadException"/>.</summary>
[TestFixture]
public sealed class ArchiveFuzzTests
{
    private const int Iterations = 3000;

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = (byte[])seed.Clone();
        var edits = random.Next(1, 8);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0:
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    // Interesting values in length/size positions.
                    var at = random.Next(Math.Max(1, bytes.Length - 4));
                    var value = new[] { 0u, 0xffffffffu, 0x7fffffffu, (uint)bytes.Length, 512u, 0x80000000u }[random.Next(6)];
                    BitConverter.GetBytes(value).AsSpan(0, Math.Min(4, bytes.Length - at)).CopyTo(bytes.AsSpan(at));
                    break;
                case 3:
                    Array.Resize(ref bytes, random.Next(bytes.Length + 1));
                    if (bytes.Length == 0)
                    {
                        return bytes;
                    }

                    break;
                default:
                    var octal = Encoding.ASCII.GetBytes(Convert.ToString(random.Next(), 8));
                    octal.AsSpan(0, Math.Min(octal.Length, bytes.Length - 1)).CopyTo(bytes.AsSpan(random.Next(bytes.Length - Math.Min(octal.Length, bytes.Length - 1))));
                    break;
            }
        }

        return bytes;
    }

    private static void Exercise(Func<RunnerArchive> read)
    {
        try
        {
            var archive = read();
            _ = archive.VersionText;
            _ = archive.Actions;
        }
        catch (RunnerLoadException)
        {
            // The only allowed failure.
        }
    }

    [Test]
    public void UstarRead_RandomMutations_OnlyRunnerLoadException()
    {
        var seed = new TestTar()
            .Add("runner.json", """{"Seq":[{"MapFile":{"file":"py/","to":"/py/"}},{"StartWasm":"a.wasm"}]}"""u8.ToArray())
            .Add("py/x.py", new byte[700])
            .Add("a.wasm", TestWasm.Module("a"), prefix: "p/")
            .Add("dir/", [], type: (byte)'5')
            .Build();
        var random = new Random(1234);
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(random, seed);
            Assert.DoesNotThrow(() => Exercise(() => UstarReader.Read(mutated)), $"iteration {i}");
        }
    }

    [Test]
    public void ContractFromCode_RandomZipMutations_OnlyRunnerLoadException()
    {
        var seed = TestZip.Build([
            new("contract/", []),
            new("contract/__init__.py", "class C: pass\n"u8.ToArray()),
            new("runner.json", """{"Seq":[{"When":{"cond":"det","action":{"Depends":"py-genlayer-multi:test"}}}]}"""u8.ToArray()),
            new("version", "v0.1.10"u8.ToArray())], comment: "c");
        var random = new Random(5678);
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(random, seed);
            Assert.DoesNotThrow(() => Exercise(() => ContractArchive.FromCode(mutated)), $"iteration {i}");
        }
    }

    [Test]
    public void ContractFromCode_RandomTextAndWasmMutations_OnlyRunnerLoadException()
    {
        var text = "# v0.1.10\n# { \"Seq\": [ {\"AddEnv\": {\"name\": \"a\", \"val\": \"${b}\"}}, { \"Depends\": \"py-genlayer:test\" } ] }\nx = 1\n"u8.ToArray();
        var wasm = TestWasm.Module("m", ("genvm.version", "v0.1.5"u8.ToArray()));
        var random = new Random(91011);
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(random, i % 2 == 0 ? text : wasm);
            Assert.DoesNotThrow(() => Exercise(() => ContractArchive.FromCode(mutated)), $"iteration {i}");
            if (WasmCustomSections.IsCoreModule(mutated))
            {
                Assert.DoesNotThrow(() => WasmCustomSections.ModuleName(mutated), $"iteration {i}");
            }
        }
    }
}
