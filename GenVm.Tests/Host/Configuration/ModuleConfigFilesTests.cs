using System.Reflection;
using System.Text.RegularExpressions;
using GenVm.Host.Configuration;
using GenVm.Modules.Llm;
using GenVm.Modules.Scripting;
using GenVm.Modules.Transport;
using GenVm.Modules.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;

namespace GenVm.Tests.Host.Configuration;

/// <summary>
/// The shipped default module configs <c>config/genvm-module-{llm,web}.yaml</c> (modules.md §3.2, §4.2): they bind with
/// no key our options do not know, carry our defaults, hold no literal secret, and are found where the manager and
/// <c>genvm module</c> look for them.
/// </summary>
[TestFixture]
public sealed class ModuleConfigFilesTests
{
    /// <summary>Spec keys the module host reads (<c>bind_address</c>) or accepts and ignores (runtime sizing, logging).</summary>
    private static readonly HashSet<string> ProcessKeys = new(StringComparer.OrdinalIgnoreCase) { "bind_address", "threads", "blocking_threads", "log_disable", "log_level" };

    private static readonly string[] KeyVariables = ["OPENAIKEY", "HEURISTKEY", "ANTHROPICKEY", "XAIKEY", "GEMINIKEY", "ATOMAKEY"];

    private static string Shipped(string kind) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "config", ModuleConfigFiles.FileName(kind)));

    private static Func<string, string?> Environment(params string[] set) => name => set.Contains(name) ? "test-value-of-" + name : null;

    [TestCase("llm", typeof(LlmModuleOptions), typeof(ScriptHttpOptions))]
    [TestCase("web", typeof(WebModuleOptions), typeof(ScriptHttpOptions), typeof(ChromiumOptions), typeof(StaticRendererOptions), typeof(ProxyRoutingOptions))]
    public void ShippedConfig_EveryKey_KnownToTheOptions(string kind, params Type[] options)
    {
        var pairs = ModuleConfigLoader.Load(Shipped(kind), Environment());

        var unknown = pairs.Keys.Where(k => !ProcessKeys.Contains(k) && !options.Any(t => Known(t, k.Split(':'), 0))).ToList();

        Assert.That(pairs, Has.Count.GreaterThan(10));
        Assert.That(unknown, Is.Empty);
    }

    [Test]
    public void ShippedLlmConfig_NoKeyVariables_NoUsableBackendUnlessEmptyAllowed()
    {
        using var provider = LlmProvider(Shipped("llm"), Environment());

        var e = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<LlmModuleOptions>>().Value);
        Assert.That(e!.Failures, Is.EqualTo(new[] { "no valid backend detected" }));

        using var allowed = LlmProvider(Shipped("llm"), Environment(), ("allow_empty_backends", "true"));
        Assert.That(LlmBackend.Usable(allowed.GetRequiredService<IOptions<LlmModuleOptions>>().Value), Is.Empty);
    }

    [Test]
    public void ShippedLlmConfig_AllKeyVariables_SpecBackendsWithKeysFromEnvironment()
    {
        using var provider = LlmProvider(Shipped("llm"), Environment(KeyVariables));

        var options = provider.GetRequiredService<IOptions<LlmModuleOptions>>().Value;

        // modules.md §3.2 "Backends in the shipped file": atoma is shipped disabled.
        Assert.That(LlmBackend.Usable(options).Select(b => b.Name), Is.EquivalentTo(new[] { "openai", "heurist", "anthropic", "xai", "google" }));
        Assert.That(options.Backends["openai"].Key, Is.EqualTo("test-value-of-OPENAIKEY"));
        Assert.That(options.Backends["google"].Provider, Is.EqualTo("google"));
        Assert.That(options.Backends["anthropic"].Models["claude-haiku-4-5-20251001"].SupportsJson, Is.False);
        Assert.That(options.Backends["atoma"].Enabled, Is.False);
        Assert.That(options.Backends.Values.Select(b => b.Models.Count), Is.All.EqualTo(1));
    }

    [Test]
    public void ShippedLlmConfig_OneKeyVariable_OnlyThatBackendUsable()
    {
        using var provider = LlmProvider(Shipped("llm"), Environment("GEMINIKEY"));

        var options = provider.GetRequiredService<IOptions<LlmModuleOptions>>().Value;

        Assert.That(LlmBackend.Usable(options).Select(b => b.Name), Is.EqualTo(new[] { "google" }));
    }

    [Test]
    public void ShippedLlmConfig_Values_EqualOurDefaults()
    {
        using var provider = LlmProvider(Shipped("llm"), Environment(KeyVariables));

        var options = provider.GetRequiredService<IOptions<LlmModuleOptions>>().Value;
        var http = provider.GetRequiredService<IOptionsMonitor<ScriptHttpOptions>>().Get(LlmModule.OptionsName);

        AssertScalarsEqual(options, new LlmModuleOptions());
        AssertScalarsEqual(http, new ScriptHttpOptions(), nameof(ScriptHttpOptions.SignerUrl));
        Assert.That(http.SignerUrl, Is.EqualTo("http://localhost:9155/genvm/sign"));
        var defaults = new LlmPromptTemplatesOptions();
        Assert.That(
            new[] { options.PromptTemplates.EqComparative, options.PromptTemplates.EqNonComparativeLeader, options.PromptTemplates.EqNonComparativeValidator }.Select(t => (t.System, t.User)),
            Is.EqualTo(new[] { defaults.EqComparative, defaults.EqNonComparativeLeader, defaults.EqNonComparativeValidator }.Select(t => (t.System, t.User))));
    }

    [Test]
    public void ShippedWebConfig_Binds_EqualOurDefaults()
    {
        var configuration = ModuleConfigLoader.Build(Shipped("web"), environment: Environment());
        using var provider = new ServiceCollection().AddLogging().AddInProcessWebModule(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WebModuleOptions>>().Value;
        var http = provider.GetRequiredService<IOptionsMonitor<ScriptHttpOptions>>().Get(WebModule.OptionsName);

        AssertScalarsEqual(options, new WebModuleOptions(), nameof(WebModuleOptions.SessionCreateRequest));
        AssertScalarsEqual(http, new ScriptHttpOptions(), nameof(ScriptHttpOptions.SignerUrl));
        AssertScalarsEqual(provider.GetRequiredService<IOptionsMonitor<ChromiumOptions>>().Get(WebModule.OptionsName), new ChromiumOptions());
        AssertScalarsEqual(provider.GetRequiredService<IOptionsMonitor<StaticRendererOptions>>().Get(WebModule.OptionsName), new StaticRendererOptions());
        Assert.That(provider.GetRequiredService<IOptionsMonitor<ProxyRoutingOptions>>().Get(WebModule.OptionsName).Routes, Is.Empty);
        Assert.That(http.SignerUrl, Is.EqualTo("#{signerUrl}"));
        Assert.That(configuration["bind_address"], Is.EqualTo("127.0.0.1:3032"));
        Assert.That(System.Text.Json.JsonDocument.Parse(options.SessionCreateRequest).RootElement.TryGetProperty("capabilities", out _), Is.True);
    }

    [TestCase("llm")]
    [TestCase("web")]
    public void ShippedConfig_Text_HoldsNoLiteralSecret(string kind)
    {
        var text = Shipped(kind);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var keys = new List<string>();
        Collect(stream.Documents[0].RootNode, keys);

        // API keys only through the environment (modules.md §3.2 "Keys from environment").
        Assert.That(keys, Is.All.Matches(@"^\$\{ENV\[[A-Z0-9_]+\]\}$"));
        Assert.That(kind == "web" || keys.Count == 6, Is.True);
        Assert.That(text, Does.Not.Match(@"sk-[A-Za-z0-9]{8,}|AIza[0-9A-Za-z_-]{10,}|Bearer\s|[A-Za-z0-9+/_=-]{40,}|://[^/\s:@]+:[^/\s@]+@"));
    }

    [TestCase("llm")]
    [TestCase("web")]
    public void DefaultPath_TestBuildOutput_IsTheShippedFile(string kind)
    {
        var path = ModuleConfigFiles.DefaultPath(kind, AppContext.BaseDirectory.TrimEnd('/'));

        Assert.That(File.ReadAllText(path), Is.EqualTo(Shipped(kind)));
    }

    [Test]
    public void DefaultPath_PublishedLayoutThenBuildCopyThenSpecPath()
    {
        var root = Directory.CreateTempSubdirectory("genvm-config-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(root.FullName, "bin")).FullName;
            var spec = Path.Combine(root.FullName, "config", "genvm-module-llm.yaml");
            var build = Path.Combine(bin, "config", "genvm-module-llm.yaml");
            Assert.That(ModuleConfigFiles.DefaultPath("llm", bin), Is.EqualTo(spec));

            Directory.CreateDirectory(Path.GetDirectoryName(build)!);
            File.WriteAllText(build, "");
            Assert.That(ModuleConfigFiles.DefaultPath("llm", bin), Is.EqualTo(build));

            Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
            File.WriteAllText(spec, "");
            Assert.That(ModuleConfigFiles.DefaultPath("llm", bin), Is.EqualTo(spec));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static ServiceProvider LlmProvider(string yaml, Func<string, string?> environment, params (string Key, string Value)[] overrides)
        => new ServiceCollection()
            .AddLogging()
            .AddInProcessLlmModule(ModuleConfigLoader.Build(yaml, overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)), environment))
            .BuildServiceProvider();

    private static void Collect(YamlNode node, List<string> keys)
    {
        if (node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (((YamlScalarNode)key).Value == "key" && value is YamlScalarNode scalar)
                {
                    keys.Add(scalar.Value ?? "");
                }

                Collect(value, keys);
            }
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                Collect(child, keys);
            }
        }
    }

    /// <summary>Every string / value-type property of <paramref name="bound"/> equals the C# default, except <paramref name="except"/>.</summary>
    private static void AssertScalarsEqual(object bound, object defaults, params string[] except)
    {
        foreach (var property in bound.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (except.Contains(property.Name) || !(property.PropertyType.IsValueType || property.PropertyType == typeof(string)))
            {
                continue;
            }

            Assert.That(property.GetValue(bound), Is.EqualTo(property.GetValue(defaults)), $"{bound.GetType().Name}.{property.Name}");
        }
    }

    /// <summary>Whether the flattened key path <paramref name="path"/> from index <paramref name="i"/> names a bindable member of <paramref name="type"/>.</summary>
    private static bool Known(Type type, string[] path, int i)
    {
        if (i == path.Length)
        {
            return true;
        }

        var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name, path[i], StringComparison.OrdinalIgnoreCase));
        return property is not null && KnownValue(property.PropertyType, path, i + 1);
    }

    private static bool KnownValue(Type type, string[] path, int i)
    {
        if (i == path.Length)
        {
            return true;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return KnownValue(type.GetGenericArguments()[1], path, i + 1);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return int.TryParse(path[i], out _) && KnownValue(type.GetGenericArguments()[0], path, i + 1);
        }

        return type.IsClass && type != typeof(string) && Known(type, path, i);
    }
}
