using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Protocol;

/// <summary>protocol/gen_python.py must render the same constants the C# generator does.</summary>
[TestFixture]
public sealed class GenPythonTests
{
    // Imports the generated module and prints {name in __all__: {member: value}} as JSON.
    private const string Dumper = """
        import enum, importlib.util, json, sys
        spec = importlib.util.spec_from_file_location("genvm_protocol", sys.argv[1])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out = {}
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, enum.IntEnum):
                out[name] = {m.name: int(m) for m in obj}
            elif isinstance(obj, type):
                out[name] = {k: v for k, v in vars(obj).items() if not k.startswith("_")}
            else:
                out[name] = {k.name: v for k, v in obj.items()}
        print(json.dumps(out))
        """;

    private string _directory = "";

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("genvm-protocol-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task GenPython_SpotChecks_AgreeWithCSharp()
    {
        var python = await GenerateAndDumpAsync();
        Assert.That(python.GetProperty("HostMethod").GetProperty("NOTIFY_NONDET_DISAGREEMENT").GetInt32(), Is.EqualTo((int)HostMethod.NotifyNondetDisagreement));
        Assert.That(python.GetProperty("HostError").GetProperty("I_AM_LEADER").GetInt32(), Is.EqualTo((int)HostError.IAmLeader));
        Assert.That(python.GetProperty("HOST_ERROR_SPEC_NAMES").GetProperty("I_AM_LEADER").GetString(), Is.EqualTo(HostError.IAmLeader.ToSpecName()));
        Assert.That(python.GetProperty("ResultCode").GetProperty("USER_ERROR").GetInt32(), Is.EqualTo((int)ResultCode.UserError));
        Assert.That(python.GetProperty("EntryKind").GetProperty("CONSENSUS_STAGE").GetInt32(), Is.EqualTo((int)EntryKind.ConsensusStage));
        Assert.That(python.GetProperty("MemoryLimiterCharge").GetProperty("FD_ALLOCATION").GetUInt32(), Is.EqualTo(MemoryLimiterCharge.FdAllocation));
        Assert.That(python.GetProperty("SpecialMethod").GetProperty("GET_SCHEMA").GetString(), Is.EqualTo(SpecialMethod.GetSchema));
        Assert.That(python.GetProperty("VmErrorText").GetProperty("INVALID_CONTRACT_NOT_UTF8_TEXT").GetString(), Is.EqualTo(VmErrorText.InvalidContractNotUtf8Text));
        Assert.That(python.GetProperty("VmLimit").GetProperty("POOL_UNITS").GetUInt32(), Is.EqualTo(VmLimit.PoolUnits));
    }

    [Test]
    public async Task GenPython_EveryGeneratedConstant_HasTheSameValueInPython()
    {
        var python = await GenerateAndDumpAsync();
        var generated = typeof(HostMethod).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>()?.Tool == "GenVm.Generators")
            .ToList();
        var compared = 0;
        foreach (var type in generated)
        {
            if (type.IsEnum)
            {
                var members = python.GetProperty(type.Name);
                Assert.That(members.EnumerateObject().Count(), Is.EqualTo(Enum.GetNames(type).Length), type.Name);
                foreach (var name in Enum.GetNames(type))
                {
                    var value = Convert.ToDecimal(Enum.Parse(type, name), CultureInfo.InvariantCulture);
                    Assert.That(members.GetProperty(UpperSnake(name)).GetDecimal(), Is.EqualTo(value), $"{type.Name}.{name}");
                    compared++;
                }
            }
            else if (type.Name.EndsWith("Extensions", StringComparison.Ordinal))
            {
                var enumType = type.GetMethod("ToSpecName")!.GetParameters()[0].ParameterType;
                var names = python.GetProperty(UpperSnake(enumType.Name) + "_SPEC_NAMES");
                foreach (var entry in names.EnumerateObject())
                {
                    var member = Enum.GetNames(enumType).Single(n => UpperSnake(n) == entry.Name);
                    var specName = (string?)type.GetMethod("ToSpecName")!.Invoke(null, [Enum.Parse(enumType, member)]);
                    Assert.That(entry.Value.GetString(), Is.EqualTo(specName), $"{enumType.Name}.{member}");
                    compared++;
                }
            }
            else
            {
                var members = python.GetProperty(type.Name);
                var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
                Assert.That(members.EnumerateObject().Count(), Is.EqualTo(fields.Count), type.Name);
                foreach (var field in fields)
                {
                    var pythonValue = members.GetProperty(UpperSnake(field.Name));
                    object actual = field.FieldType == typeof(string)
                        ? pythonValue.GetString()!
                        : Convert.ChangeType(pythonValue.GetDecimal(), field.FieldType, CultureInfo.InvariantCulture);
                    Assert.That(actual, Is.EqualTo(field.GetRawConstantValue()), $"{type.Name}.{field.Name}");
                    compared++;
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(200), "the comparison saw the generated constants");
    }

    [TestCase("IAmLeader", "I_AM_LEADER")]
    [TestCase("InvalidContractNotUtf8Text", "INVALID_CONTRACT_NOT_UTF8_TEXT")]
    [TestCase("U256", "U256")]
    [TestCase("Oom", "OOM")]
    public void UpperSnake_PascalName_MatchesReadmeRule(string name, string expected)
    {
        Assert.That(UpperSnake(name), Is.EqualTo(expected));
    }

    // protocol/README.md: "_" before an upper-case letter that follows a lower-case letter or digit, or that follows
    // an upper-case letter and precedes a lower-case one; then everything upper-cased.
    private static string UpperSnake(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && char.IsUpper(c))
            {
                var previous = name[i - 1];
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next)))
                {
                    builder.Append('_');
                }
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    private async Task<JsonElement> GenerateAndDumpAsync()
    {
        var module = Path.Combine(_directory, "genvm_protocol.py");
        await RunPythonAsync(Path.Combine(RepositoryRoot.Path, "protocol", "gen_python.py"), module);
        Assert.That(File.Exists(module), Is.True, "gen_python.py wrote no module");
        var dumper = Path.Combine(_directory, "dump.py");
        await File.WriteAllTextAsync(dumper, Dumper);
        using var document = JsonDocument.Parse(await RunPythonAsync(dumper, module));
        return document.RootElement.Clone();
    }

    private static async Task<string> RunPythonAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.That(process.ExitCode, Is.Zero, await stderr);
        return await stdout;
    }
}
