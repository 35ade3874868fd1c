using GenVm.Wasm.Runtime.SoftFloat;

namespace GenVm.Tests.Wasm.Runtime.SoftFloat;

[TestFixture]
public sealed class F32Tests
{
    [TestCase(0x7FC12345u, 0x3F800000u)] // quiet NaN with payload
    [TestCase(0xFF812345u, 0x3F800000u)] // negative signalling NaN
    [TestCase(0x7F800000u, 0xFF800000u)] // inf + -inf
    public void Add_NaNResult_IsPositiveDefaultNaN(uint a, uint b)
    {
        Assert.That(F32.Add(a, b), Is.EqualTo(0x7FC00000u));
    }

    [Test]
    public void Mul_ZeroTimesInfinity_IsPositiveDefaultNaN()
    {
        Assert.That(F32.Mul(0x80000000, 0x7F800000), Is.EqualTo(0x7FC00000u));
    }

    [TestCase(0x80000000u, 0x80000000u)] // sqrt(-0) = -0
    [TestCase(0xBF800000u, 0x7FC00000u)] // sqrt(-1) = default NaN
    [TestCase(0x80000001u, 0x7FC00000u)] // negative subnormal
    public void Sqrt_NegativeInputs_FollowSoftFloat(uint a, uint expected)
    {
        Assert.That(F32.Sqrt(a), Is.EqualTo(expected));
    }

    [TestCase(0xFF812345u, 0x7F812345u, 0x7F812345u)]
    [TestCase(0x00000000u, 0x80000000u, 0x00000000u)]
    public void NegAbs_SignBitOnly_KeepPayload(uint a, uint neg, uint abs)
    {
        Assert.That((F32.Neg(a), F32.Abs(a)), Is.EqualTo((neg, abs)));
    }

    [TestCase(0x7FC00000u, int.MaxValue)] // NaN → i32_fromNaN
    [TestCase(0xFFC00000u, int.MaxValue)] // negative NaN too
    [TestCase(0x4F000000u, int.MaxValue)] // 2^31
    [TestCase(0xCF000000u, int.MinValue)] // -2^31 is in range
    [TestCase(0xCF000001u, int.MinValue)] // below: negative overflow
    [TestCase(0xBF7FFFFFu, 0)] // -0.99999994 truncates to 0
    public void ToI32_OutOfRangeAndNaN_Saturate(uint a, int expected)
    {
        Assert.That(F32.ToI32(a), Is.EqualTo(expected));
    }

    [TestCase(0x7FC00000u, 0xFFFFFFFFu)] // NaN → ui32_fromNaN
    [TestCase(0x4F800000u, 0xFFFFFFFFu)] // 2^32
    [TestCase(0xBF800000u, 0u)] // -1 → ui32_fromNegOverflow
    [TestCase(0xBF000000u, 0u)] // -0.5 truncates to 0
    [TestCase(0x4F7FFFFFu, 0xFFFFFF00u)]
    public void ToU32_OutOfRangeAndNaN_Saturate(uint a, uint expected)
    {
        Assert.That(F32.ToU32(a), Is.EqualTo(expected));
    }

    [TestCase(0xBE99999Au, 0xBF800000u, 0x80000000u)] // -0.3: floor -1, ceil -0
    [TestCase(0x3E99999Au, 0x00000000u, 0x3F800000u)] // 0.3: floor +0, ceil 1
    [TestCase(0xFFA00000u, 0x7FC00000u, 0x7FC00000u)] // NaN
    public void FloorCeil_SignedZerosAndNaN_FollowRoundToInt(uint a, uint floor, uint ceil)
    {
        Assert.That((F32.Floor(a), F32.Ceil(a)), Is.EqualTo((floor, ceil)));
    }

    [TestCase(0x7FC00000u, 0x7FC00000u, 0, 1)]
    [TestCase(0x00000000u, 0x80000000u, 1, 0)]
    public void EqNe_NaNAndSignedZero_AreQuietIeee(uint a, uint b, int eq, int ne)
    {
        Assert.That((F32.Eq(a, b), F32.Ne(a, b)), Is.EqualTo((eq, ne)));
    }

    [TestCase(0xFFFFFFFFFFFFFFFFul, 0x5F800000u)] // rounds up to 2^64
    [TestCase(0x8000008000000000ul, 0x5F000000u)] // tie, rounds to even (2^63)
    [TestCase(0x8000008000000001ul, 0x5F000001u)] // just above the tie
    public void FromU64_HighBitSet_RoundsOnce(ulong v, uint expected)
    {
        Assert.That(F32.FromU64(v), Is.EqualTo(expected));
    }

    [Test]
    public void ToF64_NaNWithPayload_IsPositiveDefaultNaN()
    {
        Assert.That(F32.ToF64(0xFF812345), Is.EqualTo(0x7FF8000000000000ul));
    }
}
