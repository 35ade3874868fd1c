using GenVm.Core.Calldata;
using GenVm.Modules.Llm;

namespace GenVm.Tests.Modules.Llm;

/// <summary>Sanitize and repair of model JSON (modules.md §3.4).</summary>
[TestFixture]
public sealed class LlmJsonTests
{
    [TestCase("  ```json\n{\"a\":1}\n```  ", "{\"a\":1}")]
    [TestCase("```\n{}\n```", "{}")]
    [TestCase("{\"a\":1}", "{\"a\":1}")]
    public void Sanitize_Fences_AreStripped(string input, string expected)
        => Assert.That(LlmJson.Sanitize(input), Is.EqualTo(expected));

    [TestCase("", "{}")]
    [TestCase("{", "{}")]
    [TestCase("{\"a\":", "{\"a\":null}")]
    [TestCase("{\"a\": -", "{\"a\": -0}")]
    [TestCase("{\"a\": 1.", "{\"a\": 1.0}")]
    [TestCase("{\"a\": 1e", "{\"a\": 1e0}")]
    [TestCase("{\"a\": 1,", "{\"a\": 1}")]
    [TestCase("{\"a\"", "{\"a\":null}")]
    [TestCase("{\"a\": \"x", "{\"a\": \"x\"}")]
    [TestCase("{\"a\": \"x\\", "{\"a\": \"x\"}")]
    [TestCase("{\"a\": \"x\\u12", "{\"a\": \"x\"}")]
    [TestCase("{\"a\": \"x\\\\u12", "{\"a\": \"x\\\\u12\"}")]
    [TestCase("{\"a\": [tr", "{\"a\": [true]}")]
    [TestCase("{\"a\": fal", "{\"a\": false}")]
    [TestCase("{\"a\": n  ", "{\"a\": null}")]
    [TestCase("{\"a\": {\"b\": [1, {\"c\": 2", "{\"a\": {\"b\": [1, {\"c\": 2}]}}")]
    [TestCase("{\"a\": \"}]\"", "{\"a\": \"}]\"}")]
    [TestCase("{\"a\": 1}", "{\"a\": 1}")]
    public void Repair_TruncatedText_IsCompleted(string input, string expected)
        => Assert.That(LlmJson.Repair(input), Is.EqualTo(expected));

    [Test]
    public void ParseObject_Array_ThrowsParsing()
        => Assert.That(() => LlmJson.ParseObject("[1]"), Throws.TypeOf<LlmAnswerFormatException>().With.Message.EqualTo("parsing \"[1]\""));

    [Test]
    public void ToCalldata_FractionalNumber_Throws()
        => Assert.That(() => LlmJson.ToCalldata(LlmJson.ParseObject("{\"a\": 1.5}")), Throws.TypeOf<LlmAnswerFormatException>());

    [Test]
    public void ToCalldata_NestedObject_MapsKinds()
        => Assert.That(
            LlmJson.ToCalldata(LlmJson.ParseObject("{\"n\": 12345678901234567890123, \"s\": \"x\", \"z\": null, \"b\": false}")),
            Is.EqualTo(CalldataValue.FromMap(
                ("b", CalldataValue.False),
                ("n", CalldataValue.FromNumber(System.Numerics.BigInteger.Parse("12345678901234567890123", System.Globalization.CultureInfo.InvariantCulture))),
                ("s", "x"),
                ("z", CalldataValue.Null))));
}
