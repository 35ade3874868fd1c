using System.Collections.Immutable;
using GenVm.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GenVm.Tests.Generators;

/// <summary>Drives the generator directly: valid input compiles cleanly, bad input becomes a diagnostic, never an exception.</summary>
[TestFixture]
public sealed class ProtocolConstantsGeneratorTests
{
    private const string FilePath = "/repo/protocol/constants.json";

    private const string ValidGroup = """
        {"groups": [{"name": "Probe", "kind": "enum", "type": "u8", "doc": "d", "spec": "s",
          "members": [{"name": "One", "value": 1, "doc": "d"}]}]}
        """;

    // The runtime's own assemblies only: GenVm.Core is loaded too and already contains the generated types.
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == Path.GetDirectoryName(typeof(object).Assembly.Location))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    [Test]
    public void Run_RepositoryConstants_CompilesWithoutWarnings()
    {
        var (result, compilation) = Run(File.ReadAllText(RepositoryRoot.ConstantsJson));

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.GeneratedTrees, Has.Length.GreaterThan(30));

        // The build compiles these files too, but here documentation comments are checked (CS1570 etc.) and every
        // warning of any level counts.
        var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.That(problems.Select(d => d.ToString()), Is.Empty);
    }

    [Test]
    public void Run_ValidGroup_GeneratesEnumWithDocs()
    {
        var (result, _) = Run(ValidGroup);

        var source = result.GeneratedTrees.Single().ToString();
        Assert.That(source, Does.Contain("namespace GenVm.Core.Protocol;"));
        Assert.That(source, Does.Contain("public enum Probe : byte"));
        Assert.That(source, Does.Contain("One = 1,"));
        Assert.That(source, Does.Contain("/// <remarks>Spec: s.</remarks>"));
    }

    [TestCase("", 1, 1, TestName = "Run_EmptyFile_ReportsGenvm001")]
    [TestCase("{\"groups\": [", 1, 13, TestName = "Run_UnterminatedArray_ReportsGenvm001")]
    [TestCase("{\"groups\": []}}", 1, 15, TestName = "Run_TrailingText_ReportsGenvm001")]
    [TestCase("{\n  \"groups\": [],\n}", 3, 1, TestName = "Run_TrailingComma_ReportsGenvm001")]
    [TestCase("{\"groups\": [01]}", 1, 14, TestName = "Run_LeadingZero_ReportsGenvm001")]
    [TestCase("{'groups': []}", 1, 2, TestName = "Run_SingleQuotes_ReportsGenvm001")]
    [TestCase("{\"a\": \"x\ty\"}", 1, 9, TestName = "Run_RawTabInString_ReportsGenvm001")]
    [TestCase("{\"a\": 1, \"a\": 2}", 1, 10, TestName = "Run_DuplicateKey_ReportsGenvm001")]
    [TestCase("{\"a\": tru}", 1, 7, TestName = "Run_BadLiteral_ReportsGenvm001")]
    [TestCase("{\"a\": \"\\x\"}", 1, 8, TestName = "Run_BadEscape_ReportsGenvm001")]
    public void Run_MalformedJson_ReportsGenvm001AtPosition(string json, int line, int column)
    {
        var (result, _) = Run(json);

        AssertSingleDiagnostic(result, "GENVM001", line, column);
    }

    [Test]
    public void Run_DeepNesting_ReportsGenvm001()
    {
        var (result, _) = Run(new string('[', 10_000) + new string(']', 10_000));

        Assert.That(result.Diagnostics.Single().Id, Is.EqualTo("GENVM001"));
        Assert.That(result.Diagnostics.Single().GetMessage(), Does.Contain("nesting"));
    }

    [TestCase("\"type\": \"u8\", ", "", 1, 13, "missing required key \"type\"", TestName = "Run_MissingType_ReportsGenvm002")]
    [TestCase("\"value\": 1", "\"value\": 256", 2, 40, "out of range", TestName = "Run_ValueOutOfRange_ReportsGenvm002")]
    [TestCase("\"value\": 1", "\"value\": 1.5", 2, 40, "must be an integer", TestName = "Run_FractionalValue_ReportsGenvm002")]
    [TestCase("\"value\": 1", "\"vaule\": 1", 2, 31, "unknown key \"vaule\"", TestName = "Run_UnknownKey_ReportsGenvm002")]
    [TestCase("\"name\": \"One\"", "\"name\": \"one\"", 2, 24, "PascalCase", TestName = "Run_BadMemberName_ReportsGenvm002")]
    [TestCase("\"type\": \"u8\"", "\"type\": \"string\"", 1, 55, "integer type", TestName = "Run_StringEnum_ReportsGenvm002")]
    [TestCase("\"doc\": \"d\"}]", "\"doc\": \"\"}]", 2, 50, "\"doc\" is empty", TestName = "Run_EmptyDoc_ReportsGenvm002")]
    public void Run_SchemaViolation_ReportsGenvm002AtPosition(string find, string replace, int line, int column, string message)
    {
        var (result, _) = Run(ValidGroup.Replace(find, replace, StringComparison.Ordinal));

        AssertSingleDiagnostic(result, "GENVM002", line, column);
        Assert.That(result.Diagnostics[0].GetMessage(), Does.Contain(message));
    }

    [Test]
    public void Run_MembersDifferingOnlyInCase_ReportsGenvm002()
    {
        var json = ValidGroup.Replace(
            "[{\"name\": \"One\", \"value\": 1, \"doc\": \"d\"}]",
            "[{\"name\": \"AB\", \"value\": 1, \"doc\": \"d\"}, {\"name\": \"Ab\", \"value\": 2, \"doc\": \"d\"}]",
            StringComparison.Ordinal);

        var (result, _) = Run(json);

        Assert.That(result.Diagnostics.Single().Id, Is.EqualTo("GENVM002"));
        Assert.That(result.Diagnostics[0].GetMessage(), Does.Contain("differ in more than case"));
    }

    [Test]
    public void Run_DuplicateEnumValue_ReportsGenvm002()
    {
        var json = ValidGroup.Replace(
            "[{\"name\": \"One\", \"value\": 1, \"doc\": \"d\"}]",
            "[{\"name\": \"One\", \"value\": 1, \"doc\": \"d\"}, {\"name\": \"Uno\", \"value\": 1, \"doc\": \"d\"}]",
            StringComparison.Ordinal);

        var (result, _) = Run(json);

        Assert.That(result.Diagnostics.Single().Id, Is.EqualTo("GENVM002"));
        Assert.That(result.Diagnostics[0].GetMessage(), Does.Contain("duplicate enum value 1"));
    }

    [Test]
    public void Run_TwoConstantsFiles_ReportsGenvm003()
    {
        var (result, _) = Run(
            new InMemoryAdditionalText("/a/constants.json", ValidGroup),
            new InMemoryAdditionalText("/b/constants.json", ValidGroup));

        Assert.That(result.Diagnostics.Select(d => d.Id), Is.EqualTo(new[] { "GENVM003", "GENVM003" }));
        Assert.That(result.GeneratedTrees, Is.Empty);
    }

    [Test]
    public void Run_NoConstantsFile_GeneratesNothing()
    {
        var (result, _) = Run(new InMemoryAdditionalText("/repo/other.json", ValidGroup));

        Assert.That(result.Diagnostics, Is.Empty);
        Assert.That(result.GeneratedTrees, Is.Empty);
    }

    private static void AssertSingleDiagnostic(GeneratorDriverRunResult result, string id, int line, int column)
    {
        Assert.That(result.Results.Single().Exception, Is.Null);
        Assert.That(result.GeneratedTrees, Is.Empty);
        var diagnostic = result.Diagnostics.Single();
        Assert.That(diagnostic.Id, Is.EqualTo(id), diagnostic.ToString());
        Assert.That(diagnostic.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        var position = diagnostic.Location.GetLineSpan();
        Assert.That(position.Path, Is.EqualTo(FilePath));
        Assert.That((position.StartLinePosition.Line + 1, position.StartLinePosition.Character + 1), Is.EqualTo((line, column)), diagnostic.ToString());
        Assert.That(diagnostic.GetMessage(), Does.Contain($"(line {line}, column {column})"));
    }

    private static (GeneratorDriverRunResult Result, Compilation Compilation) Run(string json)
        => Run(new InMemoryAdditionalText(FilePath, json));

    private static (GeneratorDriverRunResult Result, Compilation Compilation) Run(params AdditionalText[] files)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var compilation = CSharpCompilation.Create(
            "ProtocolConstantsProbe",
            [],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ProtocolConstantsGenerator().AsSourceGenerator()],
            files,
            parseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }
}
