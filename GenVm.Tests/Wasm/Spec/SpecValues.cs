using System.Globalization;
using System.Text.Json;
using GenVm.Wasm;

namespace GenVm.Tests.Wasm.Spec;

/// <summary>
/// Reads wast2json's typed values (<c>{"type":"i32","value":"4294967295"}</c>: numbers are the unsigned decimal of
/// the bits) and checks results against expectations, including <c>nan:canonical</c> and <c>nan:arithmetic</c>.
/// </summary>
internal static class SpecValues
{
    private const uint F32CanonicalNan = 0x7FC0_0000;
    private const ulong F64CanonicalNan = 0x7FF8_0000_0000_0000;

    /// <summary>Builds an argument value.</summary>
    public static Value ParseArgument(JsonElement element)
    {
        var type = element.GetProperty("type").GetString();
        var text = element.GetProperty("value").GetString() ?? throw new FormatException("argument without value");
        return type switch
        {
            "i32" => Value.FromI32(unchecked((int)ParseU32(text))),
            "i64" => Value.FromI64(unchecked((long)ParseU64(text))),
            "f32" => Value.FromF32Bits(unchecked((int)ParseU32(text))),
            "f64" => Value.FromF64Bits(unchecked((long)ParseU64(text))),
            "externref" => Value.FromExternRef(text == "null" ? null : new SpecExternRef(ParseU32(text))),
            "funcref" when text == "null" => Value.FromFuncRef(null),
            _ => throw new NotSupportedException($"argument type {type} {text}"),
        };
    }

    /// <summary>Whether <paramref name="actual"/> matches the expectation; <paramref name="expected"/> describes it.</summary>
    public static bool Matches(JsonElement expectation, Value actual, out string expected)
    {
        var type = expectation.GetProperty("type").GetString();
        var text = expectation.TryGetProperty("value", out var v) ? v.GetString() : null;
        expected = $"{type}:{text ?? "<any>"}";
        switch (type)
        {
            case "i32":
                return actual.Kind == ValueKind.I32 && unchecked((uint)actual.I32) == ParseU32(text!);
            case "i64":
                return actual.Kind == ValueKind.I64 && unchecked((ulong)actual.I64) == ParseU64(text!);
            case "f32":
            {
                if (actual.Kind != ValueKind.F32)
                {
                    return false;
                }

                var bits = unchecked((uint)actual.Bits);
                return text switch
                {
                    "nan:canonical" => (bits & 0x7FFF_FFFF) == F32CanonicalNan,
                    "nan:arithmetic" => (bits & F32CanonicalNan) == F32CanonicalNan,
                    _ => bits == ParseU32(text!),
                };
            }

            case "f64":
            {
                if (actual.Kind != ValueKind.F64)
                {
                    return false;
                }

                var bits = unchecked((ulong)actual.Bits);
                return text switch
                {
                    "nan:canonical" => (bits & 0x7FFF_FFFF_FFFF_FFFF) == F64CanonicalNan,
                    "nan:arithmetic" => (bits & F64CanonicalNan) == F64CanonicalNan,
                    _ => bits == ParseU64(text!),
                };
            }

            case "externref":
                return actual.Kind == ValueKind.ExternRef && (text == "null"
                    ? actual.Reference is null
                    : actual.Reference is SpecExternRef r && r.Number == ParseU32(text!));
            case "funcref":
                // A non-null expectation only says "some function" in wast2json 1.0.32's output.
                return actual.Kind == ValueKind.FuncRef && (text == "null" ? actual.Reference is null : actual.Reference is Func);
            default:
                throw new NotSupportedException($"result type {type}");
        }
    }

    /// <summary>Formats a result for a failure message, with the raw bits of floats.</summary>
    public static string Format(Value value) => value.Kind switch
    {
        ValueKind.I32 => $"i32:{unchecked((uint)value.I32)}",
        ValueKind.I64 => $"i64:{unchecked((ulong)value.I64)}",
        ValueKind.F32 => $"f32:{unchecked((uint)value.Bits)} ({value.F32.ToString("R", CultureInfo.InvariantCulture)})",
        ValueKind.F64 => $"f64:{unchecked((ulong)value.Bits)} ({value.F64.ToString("R", CultureInfo.InvariantCulture)})",
        ValueKind.ExternRef => $"externref:{value.Reference?.ToString() ?? "null"}",
        ValueKind.FuncRef => $"funcref:{(value.Reference is null ? "null" : "func")}",
        _ => value.ToString(),
    };

    private static uint ParseU32(string text) => uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static ulong ParseU64(string text) => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
