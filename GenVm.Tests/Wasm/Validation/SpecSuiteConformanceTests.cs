using GenVm.Tests.Wasm.Binary;
using GenVm.Wasm;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Validation;

namespace GenVm.Tests.Wasm.Validation;

/// <summary>
/// Runs the decoder and validator over every module of the spec test suite (SIMD scripts excluded, tail-call
/// folder included): plain modules (and those of assert_unlinkable / assert_uninstantiable / assert_trap) must
/// decode and validate, binary assert_malformed modules must fail to decode, assert_invalid modules must fail
/// validation, each with the expected text as a prefix of our reason (the spec interpreter's matching rule).
/// </summary>
[TestFixture]
public sealed class SpecSuiteConformanceTests
{
    /// <summary>Scripts wabt 1.0.32's wast2json cannot convert (newer text syntax), keyed by file, with the reason.</summary>
    private static readonly Dictionary<string, string> Unconvertible = new(StringComparer.Ordinal)
    {
        ["comments.wast"] = "wast2json 1.0.32 aborts (assertion in WastParser::Consume)",
    };

    /// <summary>
    /// Scripts converted from a rewritten copy because wabt 1.0.32's parser lacks newer text syntax; each rewrite
    /// keeps the meaning (same instructions as the original).
    /// </summary>
    private static readonly Dictionary<string, Func<string, string>> Rewrites = new(StringComparer.Ordinal)
    {
        // Table instructions without a table index: add the default index 0.
        ["table_fill.wast"] = WastJson.ExplicitTableIndices,
        ["table_get.wast"] = WastJson.ExplicitTableIndices,
        ["table_grow.wast"] = WastJson.ExplicitTableIndices,
        ["table_set.wast"] = WastJson.ExplicitTableIndices,
        ["table_size.wast"] = WastJson.ExplicitTableIndices,

        // if.wast:533, a folded `if` with two condition expressions: unfold the condition (same instruction sequence).
        ["if.wast"] = text => text.Replace("(if (i32.const 1) (i32.eqz) (then) (else))", "(i32.const 1) (i32.eqz) (if (then) (else))", StringComparison.Ordinal),
    };

    /// <summary>
    /// Commands whose wast2json binary differs from what the spec interpreter's encoder produces, keyed
    /// <c>file:line</c>: the reason we give instead, and why.
    /// </summary>
    private static readonly Dictionary<string, (string Reason, string Why)> KnownDifferences = new(StringComparer.Ordinal)
    {
        ["memory_init.wast:190"] = ("data count section required", "wast2json emits no data count section for a module without data segments; the binary is malformed (Binary format §5.5.13)"),
        ["memory_init.wast:227"] = ("data count section required", "as memory_init.wast:190"),
        ["select.wast:324"] = ("type mismatch", "wast2json encodes `select (result)` as untyped select 0x1B, so there is no type list to reject"),
    };

    private static readonly HashSet<string> ValidModuleCommands =
        new(StringComparer.Ordinal) { "module", "assert_unlinkable", "assert_uninstantiable", "assert_trap", "assert_exhaustion", "assert_return" };

    private string tempDirectory = string.Empty;

    public static IEnumerable<string> Scripts() => WastJson.ScriptNames();

    [SetUp]
    public void SetUp() => tempDirectory = WastJson.NewTempDirectory("genvm-spec");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(tempDirectory))
        {
            Directory.Delete(tempDirectory, true);
        }
    }

    [Test]
    public void Scripts_SuitePresent_FindsScripts()
    {
        if (!Directory.Exists(WastJson.SuiteDirectory))
        {
            Assert.Ignore($"spec test suite not found at {WastJson.SuiteDirectory}");
        }

        Assert.That(Scripts().Count(), Is.GreaterThan(60));
    }

    [TestCaseSource(nameof(Scripts))]
    public void DecodeAndValidate_SpecScript_MatchesExpectations(string script)
    {
        Assert.That(WastJson.ToolAvailable(), Is.True, "wast2json (Debian package wabt) is required: scripts/install-deps");
        var source = Rewrites.TryGetValue(script, out var rewrite) ? WastJson.WriteRewritten(script, tempDirectory, rewrite) : null;
        var commands = WastJson.Convert(script, Path.Combine(tempDirectory, "out"), out var error, source);
        if (commands is null)
        {
            if (Unconvertible.TryGetValue(Path.GetFileName(script), out var reason))
            {
                Assert.Ignore($"{script}: {reason} ({error})");
            }

            Assert.Fail($"{script}: wast2json failed: {error}");
            return;
        }

        var counts = new Dictionary<string, (int Ok, int Total)>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var command in commands)
        {
            if (command.ModuleType != "binary")
            {
                continue;
            }

            var category = command.Type switch
            {
                "assert_malformed" => "malformed",
                "assert_invalid" => "invalid",
                _ when ValidModuleCommands.Contains(command.Type) => "module",
                _ => null,
            };
            if (category is null)
            {
                continue;
            }

            var problem = Check(category, command);
            if (problem is not null && KnownDifferences.TryGetValue($"{script}:{command.Line}", out var known) && problem.Contains($"error \"{known.Reason}", StringComparison.Ordinal))
            {
                TestContext.Out.WriteLine($"{script}:{command.Line}: known difference ({known.Why})");
                problem = null;
            }

            var (ok, total) = counts.GetValueOrDefault(category);
            counts[category] = (ok + (problem is null ? 1 : 0), total + 1);
            if (problem is not null)
            {
                failures.Add($"{script}:{command.Line} {command.Type}: {problem}");
            }
        }

        TestContext.Out.WriteLine($"{script}: " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Ok}/{c.Value.Total}")));
        Assert.That(failures, Is.Empty);
    }

    private static string? Check(string category, WastCommand command)
    {
        var bytes = File.ReadAllBytes(command.ModulePath);
        try
        {
            var module = ModuleDecoder.Decode(bytes, WasmFeatures.Default);
            ModuleValidator.Validate(module, WasmFeatures.Default);
            return category == "module" ? null : $"accepted, expected \"{command.Text}\"";
        }
        catch (ModuleDecodeException e)
        {
            return category switch
            {
                "malformed" => e.Reason.StartsWith(command.Text!, StringComparison.Ordinal) ? null : $"decode error \"{e.Message}\", expected \"{command.Text}\"",
                _ => $"decode error \"{e.Message}\"" + (command.Text is null ? string.Empty : $", expected \"{command.Text}\""),
            };
        }
        catch (ModuleValidationException e)
        {
            return category switch
            {
                "invalid" => e.Reason.StartsWith(command.Text!, StringComparison.Ordinal) ? null : $"validation error \"{e.Message}\", expected \"{command.Text}\"",
                _ => $"validation error \"{e.Message}\"" + (command.Text is null ? string.Empty : $", expected \"{command.Text}\""),
            };
        }
    }
}
