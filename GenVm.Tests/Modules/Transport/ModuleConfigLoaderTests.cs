using GenVm.Modules.Transport;

namespace GenVm.Tests.Modules.Transport;

/// <summary>YAML module configs and the <c>${…}</c> templater (config.md §1).</summary>
[TestFixture]
public sealed class ModuleConfigLoaderTests
{
    private static string? Env(string name) => name switch
    {
        "KEY" => "sk-1",
        "HOST" => "h.example",
        _ => null,
    };

    [TestCase("${ENV[KEY]}", "sk-1")]
    [TestCase("a ${ENV[UNSET]} b", "a  b")]
    [TestCase("#{kept} ${ENV[KEY]}", "#{kept} sk-1")]
    [TestCase("$ENV[KEY] ${", "$ENV[KEY] ${")]
    public void Template_Variables_Expand(string text, string expected)
        => Assert.That(ModuleConfigLoader.Template(text, Env), Is.EqualTo(expected));

    [Test]
    public void Template_UnknownVariable_Throws()
        => Assert.That(() => ModuleConfigLoader.Template("${nope}", Env), Throws.InstanceOf<FormatException>().With.Message.EqualTo("unknown variable `nope`"));

    [Test]
    public void Load_KeysAndValuesTemplated_ListsIndexed_ColonKeysKept()
    {
        var pairs = ModuleConfigLoader.Load("""
            backends:
              "${ENV[HOST]}":
                key: ${ENV[KEY]}
                models:
                  "llama3:8b": {}
            extra_tld: [a, b]
            """, Env);

        Assert.That(pairs["backends:h.example:key"], Is.EqualTo("sk-1"));
        Assert.That(pairs["backends:h.example:models:llama3" + ModuleConfigLoader.KeyColon + "8b"], Is.EqualTo(""));
        Assert.That(pairs["extra_tld:1"], Is.EqualTo("b"));
        Assert.That(ModuleConfigLoader.RestoreKey("llama3" + ModuleConfigLoader.KeyColon + "8b"), Is.EqualTo("llama3:8b"));
    }
}
