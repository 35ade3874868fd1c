using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Tests.Wasm.Runtime.SoftFloat;

[TestFixture]
public sealed class F64Tests
{
    [TestCase(0x7FF8000000012345ul, 0x3FF0000000000000ul)]
    [TestCase(0xFFF0000000000001ul, 0x3FF0000000000000ul)]
    [TestCase(0x7FF0000000000000ul, 0x7FF0000000000000ul)] // inf - inf
    public void Sub_NaNResult_IsPositiveDefaultNaN(ulong a, ulong b)
    {
        Assert.That(F64.Sub(a, b), Is.EqualTo(0x7FF8000000000000ul));
    }

    [Test]
    public void Div_ZeroByZero_IsPositiveDefaultNaN()
    {
        Assert.That(F64.Div(0x8000000000000000, 0), Is.EqualTo(0x7FF8000000000000ul));
    }

    [TestCase(0x7FF8000000000000ul, long.MaxValue)] // NaN → i64_fromNaN
    [TestCase(0x43E0000000000000ul, long.MaxValue)] // 2^63
    [TestCase(0xC3E0000000000000ul, long.MinValue)] // -2^63 in range
    [TestCase(0xC3E0000000000001ul, long.MinValue)] // below: negative overflow
    [TestCase(0xFFF0000000000000ul, long.MinValue)] // -inf
    public void ToI64_OutOfRangeAndNaN_Saturate(ulong a, long expected)
    {
        Assert.That(F64.ToI64(a), Is.EqualTo(expected));
    }

    [TestCase(0x7FF8000000000000ul, 0xFFFFFFFFFFFFFFFFul)] // NaN → ui64_fromNaN
    [TestCase(0x43F0000000000000ul, 0xFFFFFFFFFFFFFFFFul)] // 2^64
    [TestCase(0x43EFFFFFFFFFFFFFul, 0xFFFFFFFFFFFFF800ul)] // largest double below 2^64
    [TestCase(0xBFF0000000000000ul, 0ul)] // -1 → ui64_fromNegOverflow
    [TestCase(0xBFEFFFFFFFFFFFFFul, 0ul)] // -0.999… truncates to 0
    public void ToU64_OutOfRangeAndNaN_Saturate(ulong a, ulong expected)
    {
        Assert.That(F64.ToU64(a), Is.EqualTo(expected));
    }

    [TestCase(0x41DFFFFFFFFFFFFFul, 2147483647)] // 2^31 - tiny truncates to INT32_MAX
    [TestCase(0xC1E00000001FFFFFul, int.MinValue)] // -2147483648.99… truncates into range
    [TestCase(0xC1E0000000200000ul, int.MinValue)] // -2147483649: negative overflow
    public void ToI32_Boundaries_TruncateThenSaturate(ulong a, int expected)
    {
        Assert.That(F64.ToI32(a), Is.EqualTo(expected));
    }

    [TestCase(0xFFFFFFFFFFFFFFFFul, 0x43F0000000000000ul)] // rounds up to 2^64
    [TestCase(0x8000000000000400ul, 0x43E0000000000000ul)] // tie, to even
    [TestCase(0x8000000000000C00ul, 0x43E0000000000002ul)] // tie, to even (up)
    [TestCase(0x8000000000000401ul, 0x43E0000000000001ul)] // sticky bit decides
    public void FromU64_HighBitSet_RoundsOnce(ulong v, ulong expected)
    {
        Assert.That(F64.FromU64(v), Is.EqualTo(expected));
    }

    [Test]
    public void ToF32_NaNWithPayload_IsPositiveDefaultNaN()
    {
        Assert.That(F64.ToF32(0xFFF0000000000001), Is.EqualTo(0x7FC00000u));
    }

    [Test]
    public void NegAbs_NaNPayload_IsKept()
    {
        Assert.That((F64.Neg(0x7FF0000000000001), F64.Abs(0xFFF0000000000001)),
            Is.EqualTo((0xFFF0000000000001ul, 0x7FF0000000000001ul)));
    }
}
