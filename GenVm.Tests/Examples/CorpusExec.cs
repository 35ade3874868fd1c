using System.Text;
using GenVm.Core.Modules;
using GenVm.Host.Verbs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Runs <c>genvm exec</c> (the verb, in this process: no process start per call) on a contract of
/// <c>GenVm.Tests/Examples/Corpus/</c> with our packed runners (<c>GENVM_RUNNERS_DIR</c>), one state file per test, and
/// optionally real LLM and web modules (talking to local doubles on 127.0.0.1) registered as <c>genvm</c>'s services.
/// </summary>
internal sealed class CorpusExec : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CorpusExec(ServiceProvider services, string directory)
    {
        _services = services;
        Directory = directory;
    }

    /// <summary>A fresh temporary directory holding <see cref="StatePath"/>; deleted by <see cref="DisposeAsync"/>.</summary>
    public string Directory { get; }

    /// <summary>The state file every run of this instance shares (deploys, storage, balances, leader results).</summary>
    public string StatePath => Path.Combine(Directory, "state.json");

    /// <summary>
    /// Ignores the calling test when <c>GENVM_RUNNERS_DIR</c> has no packed runners (CI sets it);
    /// <paramref name="modules"/> may register <see cref="ILlmModule"/> and <see cref="IWebModule"/>.
    /// </summary>
    public static CorpusExec CreateOrIgnore(Action<IServiceCollection>? modules = null)
    {
        var runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? string.Empty;
        if (runners.Length == 0 || !File.Exists(Path.Combine(runners, "runners-manifest.json")))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("runners_dir", runners)]).Build());
        modules?.Invoke(services);
        var directory = Path.Combine(Path.GetTempPath(), "genvm-corpus-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new CorpusExec(services.BuildServiceProvider(), directory);
    }

    /// <summary>The path of a corpus contract.</summary>
    public static string Contract(string name) => Path.Combine(RepositoryRoot.Path, "GenVm.Tests", "Examples", "Corpus", name);

    /// <summary>
    /// <c>genvm exec Corpus/&lt;contract&gt; --state &lt;state&gt; args…</c>; asserts exit code 0 and returns stdout (the
    /// contract's prints, the result line, messages/events, storage changes).
    /// </summary>
    public Task<string> RunAsync(string contract, params string[] args) => RunPathAsync(Contract(contract), args);

    /// <summary>
    /// <c>genvm exec &lt;contractPath&gt; --state &lt;state&gt; args…</c> for a file or directory anywhere (null: no contract
    /// argument, the code already stored at <c>--address</c> runs); asserts exit code 0 and returns stdout.
    /// </summary>
    public async Task<string> RunPathAsync(string? contractPath, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var verb = new ExecVerb(() => stdout, () => stderr, _services);
        string[] contractArgs = contractPath is null ? [] : [contractPath];
        var code = await verb.RunCoreAsync([.. contractArgs, "--state", StatePath, .. args], CancellationToken.None);
        var text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.That(code, Is.Zero, Encoding.UTF8.GetString(stderr.ToArray()));
        return text;
    }

    /// <summary>Only the lines of <see cref="RunAsync"/> up to and including the result line (no storage diff).</summary>
    public async Task<string> ResultAsync(string contract, params string[] args) => UpToResult(await RunAsync(contract, args));

    /// <summary>Only the lines of <see cref="RunPathAsync"/> up to and including the result line (no storage diff).</summary>
    public async Task<string> ResultPathAsync(string? contractPath, params string[] args) => UpToResult(await RunPathAsync(contractPath, args));

    private static string UpToResult(string text)
    {
        var end = text.IndexOf("executed with `", StringComparison.Ordinal);
        Assert.That(end, Is.GreaterThanOrEqualTo(0), text);
        var newline = text.IndexOf('\n', end);
        return text[..(newline + 1)];
    }

    /// <summary>Sets the balance of <paramref name="addressHex"/> in the state file (creating it when missing).</summary>
    public void SetBalance(string addressHex, long balance)
    {
        var state = File.Exists(StatePath)
            ? System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject()
            : new System.Text.Json.Nodes.JsonObject { ["accounts"] = new System.Text.Json.Nodes.JsonObject() };
        var accounts = state["accounts"]!.AsObject();
        if (accounts[addressHex] is not System.Text.Json.Nodes.JsonObject account)
        {
            account = new System.Text.Json.Nodes.JsonObject();
            accounts[addressHex] = account;
        }

        account["balance"] = balance.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(StatePath, state.ToJsonString());
    }

    /// <summary>
    /// Replaces the leader results a <c>--validator</c> run replays (testdata.md §7 <c>leader_nondet</c>): entry
    /// <i>k</i> answers nondet call <i>k</i>, each a result code octet and its payload (0 return + calldata, 1 rollback
    /// + UTF-8 message, 2 contract error + UTF-8 message).
    /// </summary>
    public void SetLeaderResults(params byte[][] results)
    {
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
        state["leader_results"] = new System.Text.Json.Nodes.JsonArray(
            results.Select(r => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(Convert.ToHexStringLower(r))!).ToArray());
        File.WriteAllText(StatePath, state.ToJsonString());
    }

    /// <summary>
    /// The result line of a method returning the ASCII string <paramref name="text"/> (shorter than 2048 characters):
    /// calldata.md §3 string header <c>(length &lt;&lt; 3) | 4</c> as ULEB128, rendered per calldata.md §9.1 (an octet
    /// ≥ 0x80 followed by an ASCII octet is an invalid unit <c>\hh</c>, control characters <c>\xNN</c>).
    /// </summary>
    public static string ReturnsString(string text)
    {
        Assert.That(text.Length, Is.LessThan(2048));
        Assert.That(text.All(char.IsAscii), Is.True);
        var header = (text.Length << 3) | 4;
        var rendered = new StringBuilder();
        if (header >= 0x80)
        {
            rendered.Append('\\').Append(((header & 0x7f) | 0x80).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            header >>= 7;
        }

        foreach (var c in new[] { (char)header }.Concat(text))
        {
            rendered.Append(c < 0x20 || c == 0x7f ? $"\\x{(int)c:x2}" : c == '\\' ? "\\\\" : c.ToString());
        }

        return $"executed with `Return(\"{rendered}\")`\n";
    }

    /// <summary>The root slot id (32 zero octets, python-sdk.md §17.1).</summary>
    public static byte[] RootSlot => new byte[32];

    /// <summary>python-sdk.md §17.1: <c>child(slot, off) = SHA3-256(slot ‖ u32le(off))</c>.</summary>
    public static byte[] Child(byte[] slot, uint offset)
    {
        if (!System.Security.Cryptography.SHA3_256.IsSupported)
        {
            Assert.Ignore("SHA3-256 is not supported by this platform's crypto library");
        }

        var input = new byte[36];
        slot.CopyTo(input, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(input.AsSpan(32), offset);
        return System.Security.Cryptography.SHA3_256.HashData(input);
    }

    /// <summary>The contract-instance slot <c>child(0^32, 0)</c> where contract fields live (python-sdk.md §17.10).</summary>
    public static byte[] InstanceSlot => Child(RootSlot, 0);

    /// <summary>The whole stored content (lowercase hex) of <paramref name="slot"/> of <paramref name="addressHex"/> in the state file; "" when absent.</summary>
    public string SlotHex(byte[] slot, string addressHex = "0x0100000000000000000000000000000000000000")
    {
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(StatePath))!;
        return state["accounts"]?[addressHex]?["storage"]?[Convert.ToHexStringLower(slot)]?.GetValue<string>() ?? string.Empty;
    }

    /// <summary>Stops the modules and deletes <see cref="Directory"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
