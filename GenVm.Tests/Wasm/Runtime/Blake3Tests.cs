using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using GenVm.Wasm.Runtime;

namespace GenVm.Tests.Wasm.Runtime;

[TestFixture]
public sealed class Blake3Tests
{
    // The official BLAKE3 test vectors (test_vectors.json of the BLAKE3 repository): input byte i is i % 251,
    // unkeyed hash, first 32 bytes of output: every input length of that file. Cross-checked with Debian's b3sum 1.2.0.
    private static readonly (int Length, string Hash)[] OfficialVectors =
    [
        (0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"),
        (1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"),
        (2, "7b7015bb92cf0b318037702a6cdd81dee41224f734684c2c122cd6359cb1ee63"),
        (3, "e1be4d7a8ab5560aa4199eea339849ba8e293d55ca0a81006726d184519e647f"),
        (4, "f30f5ab28fe047904037f77b6da4fea1e27241c5d132638d8bedce9d40494f32"),
        (5, "b40b44dfd97e7a84a996a91af8b85188c66c126940ba7aad2e7ae6b385402aa2"),
        (6, "06c4e8ffb6872fad96f9aaca5eee1553eb62aed0ad7198cef42e87f6a616c844"),
        (7, "3f8770f387faad08faa9d8414e9f449ac68e6ff0417f673f602a646a891419fe"),
        (8, "2351207d04fc16ade43ccab08600939c7c1fa70a5c0aaca76063d04c3228eaeb"),
        (63, "e9bc37a594daad83be9470df7f7b3798297c3d834ce80ba85d6e207627b7db7b"),
        (64, "4eed7141ea4a5cd4b788606bd23f46e212af9cacebacdc7d1f4c6dc7f2511b98"),
        (65, "de1e5fa0be70df6d2be8fffd0e99ceaa8eb6e8c93a63f2d8d1c30ecb6b263dee"),
        (127, "d81293fda863f008c09e92fc382a81f5a0b4a1251cba1634016a0f86a6bd640d"),
        (128, "f17e570564b26578c33bb7f44643f539624b05df1a76c81f30acd548c44b45ef"),
        (129, "683aaae9f3c5ba37eaaf072aed0f9e30bac0865137bae68b1fde4ca2aebdcb12"),
        (1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"),
        (1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"),
        (1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444"),
        (2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a"),
        (2049, "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"),
        (3072, "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2"),
        (3073, "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3"),
        (4096, "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969"),
        (4097, "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995"),
        (5120, "9cadc15fed8b5d854562b26a9536d9707cadeda9b143978f319ab34230535833"),
        (5121, "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff"),
        (6144, "3e2e5b74e048f3add6d21faab3f83aa44d3b2278afb83b80b3c35164ebeca205"),
        (6145, "f1323a8631446cc50536a9f705ee5cb619424d46887f3c376c695b70e0f0507f"),
        (7168, "61da957ec2499a95d6b8023e2b0e604ec7f6b50e80a9678b89d2628e99ada77a"),
        (7169, "a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817"),
        (8192, "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a63"),
        (8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b"),
        (16384, "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4"),
        (31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47"),
        (102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085"),
    ];

    // The same file's extended (131-byte) outputs for three lengths.
    private static readonly (int Length, string Hash)[] ExtendedVectors =
    [
        (0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262e00f03e7b69af26b7faaf09fcd333050338ddfe085b8cc869ca98b206c08243a26f5487789e8f660afe6c99ef9e0c52b92e7393024a80459cf91f476f9ffdbda7001c22e159b402631f277ca96f2defdf1078282314e763699a31c5363165421cce14d"),
        (1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444f4c4a22b4b399155358a994e52bf255de60035742ec71bd08ac275a1b51cc6bfe332b0ef84b409108cda080e6269ed4b3e2c3f7d722aa4cdc98d16deb554e5627be8f955c98e1d5f9565a9194cad0c4285f93700062d9595adb992ae68ff12800ab67a"),
        (8193, "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3bb2282aa69be089359ea1154b9a9286c4a56af4de975a9aa4a5c497654914d279bea60bb6d2cf7225a2fa0ff5ef56bbe4b149f3ed15860f78b4e2ad04e158e375c1e0c0b551cd7dfc82f1b155c11b6b3ed51ec9edb30d133653bb5709d1dbd55f4e1ff6"),
    ];

    private static IEnumerable<TestCaseData> Official() =>
        OfficialVectors.Select(v => new TestCaseData(v.Length, v.Hash).SetArgDisplayNames(v.Length.ToString()));

    private static IEnumerable<TestCaseData> Extended() =>
        ExtendedVectors.Select(v => new TestCaseData(v.Length, v.Hash).SetArgDisplayNames(v.Length.ToString()));

    private static byte[] Input(int length)
    {
        var input = new byte[length];
        for (var i = 0; i < length; i++)
        {
            input[i] = (byte)(i % 251);
        }

        return input;
    }

    [TestCaseSource(nameof(Official))]
    public void Hash_OfficialVector_MatchesPublishedOutput(int length, string expected)
    {
        var output = new byte[Blake3.HashLength];
        Blake3.Hash(Input(length), output);
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Extended))]
    public void Finalize_ExtendedOutput_MatchesPublishedOutput(int length, string expected)
    {
        var output = new byte[131];
        Blake3.Hash(Input(length), output);
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Official))]
    public void Append_OddPieces_MatchesOneShot(int length, string expected)
    {
        var input = Input(length);
        var hasher = default(Blake3);
        var pieces = new[] { 1, 63, 64, 65, 1000, 1024, 4097, 7 };
        var at = 0;
        for (var i = 0; at < input.Length; i++)
        {
            var n = Math.Min(pieces[i % pieces.Length], input.Length - at);
            hasher.Append(input.AsSpan(at, n));
            at += n;
        }

        var output = new byte[Blake3.HashLength];
        hasher.Finalize(output);
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(expected));
    }

    [Test]
    public void Reset_AfterInput_HashesLikeFresh()
    {
        var hasher = default(Blake3);
        hasher.Append(Input(5000));
        hasher.Reset();
        hasher.Append(Input(1025));
        var output = new byte[Blake3.HashLength];
        hasher.Finalize(output);
        Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(OfficialVectors.Single(v => v.Length == 1025).Hash));
    }

    [Test]
    public void Append_AfterHashingOneMegabyte_AllocatesNothing()
    {
        var input = Input(1 << 20);
        var output = new byte[Blake3.HashLength];
        Blake3.Hash(input, output); // warm up (JIT)
        var before = GC.GetAllocatedBytesForCurrentThread();
        var hasher = default(Blake3);
        hasher.Append(input);
        hasher.Finalize(output);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    // The lane kernels against the scalar compression, with chunk counters that cross 2^32 (high counter word).
    [TestCase(4)]
    [TestCase(8)]
    public void HashChunkKernels_CountersAcross2Pow32_MatchScalarCompression(int lanes)
    {
        if (lanes == 8 && !Avx2.IsSupported)
        {
            Assert.Ignore("no AVX2 on this machine");
        }

        var input = new byte[lanes * 1024];
        new Random(lanes).NextBytes(input);
        const ulong counter = 0xFFFF_FFFDul;
        var actual = new uint[lanes * 8];
        if (lanes == 4)
        {
            Blake3.HashFourChunks(input, counter, actual);
        }
        else
        {
            Blake3.HashEightChunks(input, counter, actual);
        }

        var expected = new uint[lanes * 8];
        var words = new uint[16];
        var output = new uint[16];
        for (var chunk = 0; chunk < lanes; chunk++)
        {
            uint[] cv = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];
            for (var block = 0; block < 16; block++)
            {
                for (var w = 0; w < 16; w++)
                {
                    words[w] = BinaryPrimitives.ReadUInt32LittleEndian(input.AsSpan((chunk * 1024) + (block * 64) + (w * 4)));
                }

                var flags = (block == 0 ? 1u : 0u) | (block == 15 ? 2u : 0u);
                Blake3.Compress(cv, words, counter + (ulong)chunk, 64, flags, output);
                output.AsSpan(0, 8).CopyTo(cv);
            }

            cv.CopyTo(expected, chunk * 8);
        }

        Assert.That(actual, Is.EqualTo(expected));
    }

    // b3sum (Debian package b3sum, installed by scripts/install-deps) is the oracle for lengths around the 4-chunk
    // batches and deeper trees, which the published vectors do not reach.
    [Test]
    public void Hash_RandomInputs_MatchesB3sum()
    {
        const string b3sum = "/usr/bin/b3sum";
        if (!File.Exists(b3sum))
        {
            Assert.Ignore("b3sum is not installed (scripts/install-deps installs it)");
        }

        var random = new Random(20261121);
        int[] lengths = [4095, 4096 * 4, (4096 * 4) + 1, 65 * 1024, 1 << 20, (3 << 20) + 17, random.Next(1, 2_000_000)];
        foreach (var length in lengths)
        {
            var input = new byte[length];
            random.NextBytes(input);
            var output = new byte[Blake3.HashLength];
            Blake3.Hash(input, output);
            Assert.That(Convert.ToHexStringLower(output), Is.EqualTo(RunB3sum(b3sum, input)), $"length {length}");
        }
    }

    private static string RunB3sum(string path, byte[] input)
    {
        var start = new ProcessStartInfo(path, "--no-names")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var reader = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        var text = reader.GetAwaiter().GetResult();
        process.WaitForExit();
        return text.Trim();
    }
}
