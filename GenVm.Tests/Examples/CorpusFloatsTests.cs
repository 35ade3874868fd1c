using System.Globalization;
using System.Numerics;
using System.Text;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus float cases (contract-corpus.md §2.14 self-run/floats, §2.15 storage/floats; python-sdk.md §17.3, §19.4,
/// §20.3) through <c>genvm exec</c>. A deterministic Python VM must give the reference's soft-float bits: correctly
/// rounded IEEE-754 results (so .NET's own arithmetic is the oracle for + − × ÷, sqrt, floor, ceil, conversions and
/// formatting), every NaN an operation produces the positive default NaN <c>7ff8000000000000</c>
/// (<c>7fc00000</c> in binary32) whatever NaNs went in, and negation/abs only touching the sign bit. The expected lines
/// are built here from those rules and CPython 3.13's float semantics (exceptions named), not from our output.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusFloatsTests : CorpusFixture
{
    private const string DefaultNaN = "7ff8000000000000";

    // The operands of Corpus/floats.py (bit patterns): ±0, ±1, 0.5, 1.5, ±2.5, 0.1, 1/3, 1e300, the smallest
    // subnormal, the smallest normal, the largest finite, 2^53 + 2, ±inf, the default NaN and its negation, a quiet
    // NaN with a payload, a signalling NaN and a negative NaN with a payload.
    private static readonly string[] Values =
    [
        "0000000000000000", "8000000000000000", "3ff0000000000000", "bff0000000000000", "3fe0000000000000",
        "3ff8000000000000", "4004000000000000", "c004000000000000", "3fb999999999999a", "3fd5555555555555",
        "7e37e43c8800759c", "0000000000000001", "0010000000000000", "7fefffffffffffff", "4340000000000001",
        "7ff0000000000000", "fff0000000000000", "7ff8000000000000", "fff8000000000000", "7ff8000000000bad",
        "7ff0000000000001", "fff4000000000000",
    ];

    // Extra finite operands of sin and exp only: 2, 3, 10, 100, 1e-300, 1e23, 700, -745, 710, -127.
    private static readonly string[] LibmValues =
    [
        "4000000000000000", "4008000000000000", "4024000000000000", "4059000000000000", "01a56e1fc2f8f359",
        "44b52d02c7e14af6", "4085e00000000000", "c087480000000000", "4086300000000000", "c05fc00000000000",
    ];

    // sin and exp of finite operands are not basic operations: the interpreter's libm (wasi-libc's musl) computes
    // them from + − × ÷ and conversions, so their bits follow from those. The values below are what that libm gives
    // with IEEE arithmetic (the same python.wasm run under node's WebAssembly, whose f64 operations are IEEE-754),
    // checked against MPFR's correctly rounded results: all agree except sin(±2.5), where musl returns the neighbour
    // 3fe326af0dcfcab0 (correctly rounded: …b1), which shows the result is the interpreter's algorithm, not the
    // host's libm. exp overflowing from a finite operand is OverflowError (CPython's math_1).
    private static readonly Dictionary<string, (string Sin, string Exp)> Libm = new()
    {
        ["3ff0000000000000"] = ("3feaed548f090cee", "4005bf0a8b145769"),
        ["bff0000000000000"] = ("bfeaed548f090cee", "3fd78b56362cef38"),
        ["3fe0000000000000"] = ("3fdeaee8744b05f0", "3ffa61298e1e069c"),
        ["3ff8000000000000"] = ("3fefeb7a9b2c6d8b", "4011ed3fe64fc541"),
        ["4004000000000000"] = ("3fe326af0dcfcab0", "40285d6fd931e0bb"),
        ["c004000000000000"] = ("bfe326af0dcfcab0", "3fb50385c094f425"),
        ["3fb999999999999a"] = ("3fb98eaecb8bcb2c", "3ff1aec7b35a00d4"),
        ["3fd5555555555555"] = ("3fd4f0c2068a80c6", "3ff6546db1ba2d13"),
        ["7e37e43c8800759c"] = ("bfea2c16b010e385", "OverflowError"),
        ["0000000000000001"] = ("0000000000000001", "3ff0000000000000"),
        ["0010000000000000"] = ("0010000000000000", "3ff0000000000000"),
        ["7fefffffffffffff"] = ("3f7452fc98b34e97", "OverflowError"),
        ["4340000000000001"] = ("bfc04b40dd7d9a6a", "OverflowError"),
        ["4000000000000000"] = ("3fed18f6ead1b446", "401d8e64b8d4ddae"),
        ["4008000000000000"] = ("3fc210386db6d55b", "403415e5bf6fb106"),
        ["4024000000000000"] = ("bfe1689ef5f34f52", "40d5829dcf950560"),
        ["4059000000000000"] = ("bfe03425b78c4db8", "48f3494a9b171bf5"),
        ["01a56e1fc2f8f359"] = ("01a56e1fc2f8f359", "3ff0000000000000"),
        ["44b52d02c7e14af6"] = ("bfd4bd4cba14452e", "OverflowError"),
        ["4085e00000000000"] = ("3fe16834defaadb0", "7f0d945df4f8ec8e"),
        ["c087480000000000"] = ("3fdb683ccbc86662", "0000000000000001"),
        ["4086300000000000"] = ("3f0f9bd0303f6faf", "OverflowError"),
        ["c05fc00000000000"] = ("bfef1fc9173d3292", "347b6e4f282b43f4"),
    };

    private static readonly string[] Parsed =
    [
        "0.1", "-0.0", "1e-400", "1e400", "2.2250738585072011e-308", "4.9406564584124654e-324",
        "2.4703282292062328e-324", "9007199254740993", "0.30000000000000004", "nan", "-nan", "-inf",
    ];

    [Test]
    public async Task Exec_FloatOperationsInDeterministicVm_GiveSoftFloatBits()
    {
        var output = await Exec.RunAsync("floats.py");

        var expected = ExpectedFloatLines() + "executed with `Return(\"\\x00\")`\n";
        var actualLines = output.Split('\n');
        var expectedLines = expected.Split('\n');
        // Report the first differing line (the whole text is about 350 long lines).
        for (var i = 0; i < Math.Min(actualLines.Length, expectedLines.Length); i++)
        {
            Assert.That(actualLines[i], Is.EqualTo(expectedLines[i]), $"line {i + 1}");
        }

        Assert.That(output, Is.EqualTo(expected));
    }

    [Test]
    public async Task Exec_FloatStorage_KeepsTheBitsAndComputesSoftFloat()
    {
        await Exec.RunAsync("float_storage.py", "--deploy");
        var deployed = Exec.SlotHex(CorpusExec.InstanceSlot);
        var put = await Exec.ResultAsync(
            "float_storage.py", "--method", "put",
            "--args", "[[\"8000000000000000\", \"7ff8000000000bad\", \"7ff0000000000001\", \"fff0000000000000\", \"0000000000000001\", \"3fb999999999999a\"]]");
        var root = Exec.SlotHex(CorpusExec.InstanceSlot);
        var elements = Exec.SlotHex(CorpusExec.Child(CorpusExec.InstanceSlot, 8));
        var dump = await Exec.ResultAsync("float_storage.py", "--method", "dump");
        await Exec.RunAsync("float_storage.py", "--method", "scale");
        var scaled = await Exec.ResultAsync("float_storage.py", "--method", "dump");

        // §17.3: x: float @0 (8 octets, binary64 little-endian), items: DynArray[float] @8 (length u32, elements back
        // to back in child(slot, 8)). 0.1 = 3fb999999999999a.
        Assert.That(deployed, Is.EqualTo("9a9999999999b93f"));
        Assert.That(put, Is.EqualTo("executed with `Return(\"\\x00\")`\n"));
        // 0.1 * 3 = 0.30000000000000004 (3fd3333333333334); six elements.
        Assert.That(root, Is.EqualTo("343333333333d33f" + "06000000"));
        // Stored as given: -0.0, the payload NaN, the signalling NaN (not quieted), -inf, the smallest subnormal, 0.1.
        Assert.That(elements, Is.EqualTo(
            "0000000000000080" + "ad0b00000000f87f" + "010000000000f07f" + "000000000000f0ff" + "0100000000000000" + "9a9999999999b93f"));
        Assert.That(dump, Is.EqualTo(CorpusExec.ReturnsString(
            "3fd3333333333334 8000000000000000 7ff8000000000bad 7ff0000000000001 fff0000000000000 0000000000000001 3fb999999999999a")));
        // Doubling: -0.0 stays -0.0, both NaNs become the default NaN, -inf stays, 2 × the smallest subnormal, 0.2.
        Assert.That(scaled, Is.EqualTo(CorpusExec.ReturnsString(
            "3fd3333333333334 8000000000000000 7ff8000000000000 7ff8000000000000 fff0000000000000 0000000000000002 3fc999999999999a")));
    }

    /// <summary>The lines Corpus/floats.py prints, from IEEE-754 and CPython 3.13's float semantics.</summary>
    private static string ExpectedFloatLines()
    {
        var text = new StringBuilder();
        var binary = new (string Name, Func<double, double, string> Op)[]
        {
            ("add", (x, y) => Result(x + y)),
            ("sub", (x, y) => Result(x - y)),
            ("mul", (x, y) => Result(x * y)),
            // float_div: a zero divisor (either sign) raises before dividing.
            ("div", (x, y) => y == 0 ? "ZeroDivisionError" : Result(x / y)),
        };
        foreach (var (name, op) in binary)
        {
            foreach (var a in Values)
            {
                text.Append(name).Append(' ').Append(a).Append(' ')
                    .AppendJoin(' ', Values.Select(c => op(Double(a), Double(c)))).Append('\n');
            }
        }

        // Quiet comparisons: every comparison with a NaN is false.
        foreach (var a in Values)
        {
            text.Append("cmp ").Append(a).Append(' ')
                .AppendJoin(string.Empty, Values.Select(c => $"{(Double(a) < Double(c) ? 1 : 0)}{(Double(a) == Double(c) ? 1 : 0)}")).Append('\n');
        }

        var unary = new (string Name, Func<string, string> Op)[]
        {
            // Sign-bit operations keep the payload and do not quiet a signalling NaN.
            ("neg", a => (Bits(a) ^ SignBit).ToString("x16", CultureInfo.InvariantCulture)),
            ("abs", a => (Bits(a) & ~SignBit).ToString("x16", CultureInfo.InvariantCulture)),
            // math_1: a NaN from a non-NaN operand is a domain error; a NaN operand gives the default NaN.
            ("sqrt", a => double.IsNaN(Double(a)) ? DefaultNaN : Double(a) < 0 ? "ValueError" : Result(Math.Sqrt(Double(a)))),
            ("floor", a => ToInt(Math.Floor(Double(a)))),
            ("ceil", a => ToInt(Math.Ceiling(Double(a)))),
            ("int", a => ToInt(Math.Truncate(Double(a)))),
            ("round", a => ToInt(Math.Round(Double(a), MidpointRounding.ToEven))),
            ("f32", a => Float32(Double(a))),
        };
        foreach (var (name, op) in unary)
        {
            foreach (var a in Values)
            {
                text.Append(name).Append(' ').Append(a).Append(' ').Append(op(a)).Append('\n');
            }
        }

        foreach (var a in Values.Concat(LibmValues))
        {
            var x = Double(a);
            var (sin, exp) = double.IsNaN(x) ? (DefaultNaN, DefaultNaN)
                : double.IsPositiveInfinity(x) ? ("ValueError", a)
                : double.IsNegativeInfinity(x) ? ("ValueError", "0000000000000000")
                : x == 0 ? (a, "3ff0000000000000")
                : Libm[a];
            text.Append($"sin {a} {sin} exp {exp}\n");
        }

        foreach (var a in Values)
        {
            var x = Double(a);
            var back = double.IsNaN(x) ? DefaultNaN : a;
            text.Append($"repr {a} {Repr(x)} {Exponent20(x)} {back}\n");
        }

        foreach (var parsed in Parsed)
        {
            // _Py_dg_stdnan gives the NaN constants (the sign of -nan kept: no operation); the rest is correctly rounded.
            var bits = parsed switch
            {
                "nan" => DefaultNaN,
                "-nan" => "fff8000000000000",
                "-inf" => "fff0000000000000",
                _ => Result(double.Parse(parsed, NumberStyles.Float, CultureInfo.InvariantCulture)),
            };
            text.Append($"parse {parsed} {bits}\n");
        }

        return text.ToString();
    }

    private const ulong SignBit = 0x8000000000000000;

    private static ulong Bits(string hex) => ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static double Double(string hex) => BitConverter.UInt64BitsToDouble(Bits(hex));

    // A produced NaN is always the default NaN (python-sdk.md §20.3).
    private static string Result(double r) => double.IsNaN(r) ? DefaultNaN : BitConverter.DoubleToUInt64Bits(r).ToString("x16", CultureInfo.InvariantCulture);

    // PyLong_FromDouble: NaN is ValueError, ±inf OverflowError, else the exact integer.
    private static string ToInt(double r) => double.IsNaN(r) ? "ValueError"
        : double.IsInfinity(r) ? "OverflowError"
        : new BigInteger(r).ToString(CultureInfo.InvariantCulture);

    // PyFloat_Pack4 (float)x: f64 → f32 rounds to nearest even; a finite operand that becomes infinite is
    // OverflowError; the NaN is the binary32 default NaN, and unpacking promotes it to the binary64 default NaN.
    private static string Float32(double x)
    {
        if (double.IsNaN(x))
        {
            return "7fc00000/" + DefaultNaN;
        }

        var y = (float)x;
        if (float.IsInfinity(y) && !double.IsInfinity(x))
        {
            return "OverflowError";
        }

        return BitConverter.SingleToUInt32Bits(y).ToString("x8", CultureInfo.InvariantCulture) + "/" + Result(y);
    }

    // repr(float): the shortest digits that round-trip (David Gay's mode 0, which .NET's "R" also gives), in fixed
    // notation with a ".0" when the decimal exponent is in [-4, 16), else d.ddde±XX.
    private static string Repr(double x)
    {
        if (double.IsNaN(x))
        {
            return "nan";
        }

        if (double.IsInfinity(x))
        {
            return x > 0 ? "inf" : "-inf";
        }

        var sign = double.IsNegative(x) ? "-" : string.Empty;
        if (x == 0)
        {
            return sign + "0.0";
        }

        var (digits, exponent) = Decompose(Math.Abs(x).ToString("R", CultureInfo.InvariantCulture));
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        if (exponent < 0)
        {
            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }

        var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
        var fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
        return $"{sign}{whole}.{fraction}";
    }

    // format(x, '.20e'): 21 significant digits, exactly rounded (both CPython and .NET format exactly), exponent with
    // at least two digits.
    private static string Exponent20(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x))
        {
            return Repr(x);
        }

        var dotnet = x.ToString("E20", CultureInfo.InvariantCulture);
        var e = dotnet.IndexOf('E', StringComparison.Ordinal);
        var exponent = int.Parse(dotnet[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{dotnet[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    // "1.2345E-05" or "123.45" → significant digits without leading/trailing zeros and the decimal exponent of the first.
    private static (string Digits, int Exponent) Decompose(string text)
    {
        var e = text.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? text : text[..e];
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var all = intPart + (dot < 0 ? string.Empty : mantissa[(dot + 1)..]);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits, exponent + intPart.Length - 1 - leading);
    }
}
