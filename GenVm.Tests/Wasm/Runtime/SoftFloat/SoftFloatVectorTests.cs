using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Tests.Wasm.Runtime.SoftFloat;

/// <summary>
/// Checks <see cref="F32"/> and <see cref="F64"/> bit for bit against vectors computed by GNU MPFR (gen_vectors.py,
/// through Debian's python3-gmpy2). The vectors are generated at test time into the cache directory
/// ($GENVM_CACHE_DIR, default ~/.cache/genvm), keyed by the generator's hash, scale and seed.
/// </summary>
[TestFixture]
public sealed class SoftFloatVectorTests
{
    private const int Seed = 20261121;

    // Every operation the reference's float rewriter maps to the softfloat module (python-sdk.md §20.3).
    private static readonly Dictionary<string, Func<ulong, ulong, ulong>> Operations = new()
    {
        ["f32_add"] = (a, b) => F32.Add((uint)a, (uint)b),
        ["f32_sub"] = (a, b) => F32.Sub((uint)a, (uint)b),
        ["f32_mul"] = (a, b) => F32.Mul((uint)a, (uint)b),
        ["f32_div"] = (a, b) => F32.Div((uint)a, (uint)b),
        ["f32_sqrt"] = (a, _) => F32.Sqrt((uint)a),
        ["f32_eq"] = (a, b) => (ulong)F32.Eq((uint)a, (uint)b),
        ["f32_ne"] = (a, b) => (ulong)F32.Ne((uint)a, (uint)b),
        ["f32_lt"] = (a, b) => (ulong)F32.Lt((uint)a, (uint)b),
        ["f32_le"] = (a, b) => (ulong)F32.Le((uint)a, (uint)b),
        ["f32_gt"] = (a, b) => (ulong)F32.Gt((uint)a, (uint)b),
        ["f32_ge"] = (a, b) => (ulong)F32.Ge((uint)a, (uint)b),
        ["f32_floor"] = (a, _) => F32.Floor((uint)a),
        ["f32_ceil"] = (a, _) => F32.Ceil((uint)a),
        ["f32_to_f64"] = (a, _) => F32.ToF64((uint)a),
        ["f32_to_i32"] = (a, _) => (uint)F32.ToI32((uint)a),
        ["f32_to_ui32"] = (a, _) => F32.ToU32((uint)a),
        ["f32_to_i64"] = (a, _) => (ulong)F32.ToI64((uint)a),
        ["f32_to_ui64"] = (a, _) => F32.ToU64((uint)a),
        ["i32_to_f32"] = (a, _) => F32.FromI32((int)(uint)a),
        ["ui32_to_f32"] = (a, _) => F32.FromU32((uint)a),
        ["i64_to_f32"] = (a, _) => F32.FromI64((long)a),
        ["ui64_to_f32"] = (a, _) => F32.FromU64(a),
        ["f64_add"] = F64.Add,
        ["f64_sub"] = F64.Sub,
        ["f64_mul"] = F64.Mul,
        ["f64_div"] = F64.Div,
        ["f64_sqrt"] = (a, _) => F64.Sqrt(a),
        ["f64_eq"] = (a, b) => (ulong)F64.Eq(a, b),
        ["f64_ne"] = (a, b) => (ulong)F64.Ne(a, b),
        ["f64_lt"] = (a, b) => (ulong)F64.Lt(a, b),
        ["f64_le"] = (a, b) => (ulong)F64.Le(a, b),
        ["f64_gt"] = (a, b) => (ulong)F64.Gt(a, b),
        ["f64_ge"] = (a, b) => (ulong)F64.Ge(a, b),
        ["f64_floor"] = (a, _) => F64.Floor(a),
        ["f64_ceil"] = (a, _) => F64.Ceil(a),
        ["f64_to_f32"] = (a, _) => F64.ToF32(a),
        ["f64_to_i32"] = (a, _) => (uint)F64.ToI32(a),
        ["f64_to_ui32"] = (a, _) => F64.ToU32(a),
        ["f64_to_i64"] = (a, _) => (ulong)F64.ToI64(a),
        ["f64_to_ui64"] = (a, _) => F64.ToU64(a),
        ["i32_to_f64"] = (a, _) => F64.FromI32((int)(uint)a),
        ["ui32_to_f64"] = (a, _) => F64.FromU32((uint)a),
        ["i64_to_f64"] = (a, _) => F64.FromI64((long)a),
        ["ui64_to_f64"] = (a, _) => F64.FromU64(a),
    };

    // The general forms with a rounding mode argument (modes 0-4, and 6 = round_odd, which the reference build lacks).
    private static readonly int[] Modes = [0, 1, 2, 3, 4, 6];

    static SoftFloatVectorTests()
    {
        foreach (var mode in Modes)
        {
            Operations[$"f32_roundToInt_{mode}"] = (a, _) => F32.RoundToInt((uint)a, mode, false);
            Operations[$"f64_roundToInt_{mode}"] = (a, _) => F64.RoundToInt(a, mode, false);
            Operations[$"f32_to_i32_{mode}"] = (a, _) => (uint)F32.ToI32((uint)a, mode, false);
            Operations[$"f32_to_ui32_{mode}"] = (a, _) => F32.ToU32((uint)a, mode, false);
            Operations[$"f32_to_i64_{mode}"] = (a, _) => (ulong)F32.ToI64((uint)a, mode, false);
            Operations[$"f32_to_ui64_{mode}"] = (a, _) => F32.ToU64((uint)a, mode, false);
            Operations[$"f64_to_i32_{mode}"] = (a, _) => (uint)F64.ToI32(a, mode, false);
            Operations[$"f64_to_ui32_{mode}"] = (a, _) => F64.ToU32(a, mode, false);
            Operations[$"f64_to_i64_{mode}"] = (a, _) => (ulong)F64.ToI64(a, mode, false);
            Operations[$"f64_to_ui64_{mode}"] = (a, _) => F64.ToU64(a, mode, false);
        }
    }

    private static readonly Lazy<Dictionary<string, Vectors>> Standard = new(() => Load(1));

    /// <summary>The standard vector set by operation name (shared with the engine-level policy tests).</summary>
    internal static IReadOnlyDictionary<string, Vectors> StandardVectors => Standard.Value;

    private static IEnumerable<string> OperationNames() => Operations.Keys;

    [TestCaseSource(nameof(OperationNames))]
    public void Operation_MpfrVectors_MatchBitForBit(string operation)
    {
        var vectors = Standard.Value;
        Assert.That(vectors.ContainsKey(operation), Is.True, $"no vectors for {operation}");
        var failures = Check(operation, vectors[operation]);
        Assert.That(failures, Is.Empty, $"{operation}: {vectors[operation].Count} vectors");
    }

    [Test]
    public void Generator_StandardRun_CoversEveryOperationWithOverAMillionVectors()
    {
        var vectors = Standard.Value;
        Assert.That(vectors.Keys, Is.EquivalentTo(Operations.Keys));
        Assert.That(vectors.Values.Sum(v => v.Count), Is.GreaterThanOrEqualTo(1_000_000));
        TestContext.Out.WriteLine($"{vectors.Values.Sum(v => v.Count)} vectors");
    }

    [Test]
    [Explicit("10x the vectors (about 11 million), a different seed; takes minutes")]
    public void AllOperations_TenfoldMpfrVectors_MatchBitForBit()
    {
        var vectors = Load(10, Seed + 1);
        var failures = vectors.SelectMany(pair => Check(pair.Key, pair.Value)).ToList();
        TestContext.Out.WriteLine($"{vectors.Values.Sum(v => v.Count)} vectors");
        Assert.That(failures, Is.Empty);
    }

    private static List<string> Check(string operation, Vectors vectors)
    {
        var evaluate = Operations[operation];
        var failures = new List<string>();
        for (var i = 0; i < vectors.Count && failures.Count < 20; i++)
        {
            var actual = evaluate(vectors.A[i], vectors.B[i]);
            if (actual != vectors.Result[i])
            {
                failures.Add($"{operation}({vectors.A[i]:x}, {vectors.B[i]:x}) = {actual:x}, MPFR says {vectors.Result[i]:x}");
            }
        }

        return failures;
    }

    private static Dictionary<string, Vectors> Load(double scale, int seed = Seed)
    {
        var script = FindGenerator();
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(script)))[..16];
        var cache = Path.Combine(TestCache.Root, "softfloat-vectors");
        Directory.CreateDirectory(cache);
        var file = Path.Combine(cache, FormattableString.Invariant($"vectors-{hash}-x{scale}-{seed}.txt"));
        if (!File.Exists(file))
        {
            Generate(script, file, scale, seed);
        }

        var result = new Dictionary<string, Vectors>();
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(' ');
            if (!result.TryGetValue(parts[0], out var vectors))
            {
                result[parts[0]] = vectors = new Vectors();
            }

            vectors.A.Add(Hex(parts[1]));
            vectors.B.Add(parts[2] == "-" ? 0 : Hex(parts[2]));
            vectors.Result.Add(Hex(parts[3]));
        }

        return result;
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static void Generate(string script, string file, double scale, int seed)
    {
        // Debian's python3-gmpy2 lives in the system interpreter's dist-packages (scripts/install-deps installs it).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        start.ArgumentList.Add(scale.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"gen_vectors.py failed ({process.ExitCode}); is python3-gmpy2 installed (scripts/install-deps)?\n{stderr}");
        }

        TestContext.Out.WriteLine($"generated {stdout.Result.Trim()} vectors into {file}");
    }

    private static string FindGenerator() =>
        Path.Combine(RepositoryRoot.Path, "GenVm.Tests", "Wasm", "Runtime", "SoftFloat", "gen_vectors.py");

    /// <summary>Inputs and MPFR results of one operation, as raw bits.</summary>
    internal sealed class Vectors
    {
        public List<ulong> A { get; } = [];

        public List<ulong> B { get; } = [];

        public List<ulong> Result { get; } = [];

        public int Count => A.Count;
    }
}
