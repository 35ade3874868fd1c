using GenVm.Core.Supervisor;
using GenVm.Tests.Wasm;
using GenVm.Wasm;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// The engine feature set of wasm-abi.md §1.1 is the same in both executor modes: saturating truncations, SIMD and
/// reference types are refused when the module loads, in det and in non-det VMs alike (the float policy is a separate,
/// det-only setting, §10); the proposals the reference enables load in both.
/// </summary>
[TestFixture]
public sealed class VmRunnerFeaturesTests
{
    private static readonly string[] Refused =
    [
        "(module (func (drop (i32.trunc_sat_f32_s (f32.const 1)))))",
        "(module (func (drop (i64.trunc_sat_f64_u (f64.const 1)))))",
        "(module (func (drop (v128.const i32x4 0 0 0 0))))",
        "(module (func (param v128)))",
        "(module (table 1 externref))",
        "(module (func (drop (ref.null extern))))",
        "(module (table 1 funcref) (func (drop (table.size 0)) (drop (table.get 0 (i32.const 0)))))",
    ];

    private static readonly string[] Accepted =
    [
        "(module (func (drop (i32.extend8_s (i32.const 1)))))",
        "(module (func (result i32 i32) (i32.const 1) (i32.const 2)))",
        "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))",
        "(module (global (export \"g\") (mut i32) (i32.const 0)))",
        "(module (func $f (return_call $f)))",
    ];

    private static IEnumerable<TestCaseData> Cases(string[] snippets)
    {
        foreach (var (name, config) in new[] { ("det", VmRunner.DeterministicConfig()), ("nondet", VmRunner.NondetConfig()) })
        {
            for (var i = 0; i < snippets.Length; i++)
            {
                yield return new TestCaseData(config, snippets[i]).SetArgDisplayNames(name, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static IEnumerable<TestCaseData> RefusedCases() => Cases(Refused);

    private static IEnumerable<TestCaseData> AcceptedCases() => Cases(Accepted);

    [TestCaseSource(nameof(RefusedCases))]
    public void Load_FeatureOutsideSection11_RefusedInBothModes(EngineConfig config, string wat)
    {
        var e = Assert.Catch<WasmException>(() => WatCompiler.Load(new Engine(config), wat))!;
        Assert.That(e, Is.InstanceOf<ModuleValidationException>().Or.InstanceOf<ModuleDecodeException>());
        Assert.That(e.Message, Does.Contain("unsupported feature"));
    }

    [TestCaseSource(nameof(AcceptedCases))]
    public void Load_EnabledProposal_AcceptedInBothModes(EngineConfig config, string wat) =>
        Assert.That(WatCompiler.Load(new Engine(config), wat), Is.Not.Null);
}
