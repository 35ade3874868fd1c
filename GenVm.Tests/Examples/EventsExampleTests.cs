using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary><c>examples/events.py</c>: an event emitted through the real <c>genvm exec</c> process.</summary>
[TestFixture]
[Category("Toolchain")]
public sealed class EventsExampleTests
{
    // runners.md §3: the contract declares v0.1.10, allowed from 2025-07-10T11:56:59Z on.
    private const string After0110 = "2025-08-01T00:00:00Z";

    private ExampleExec? _exec;

    [SetUp]
    public void SetUp() => _exec = ExampleExec.CreateOrIgnore();

    [TearDown]
    public void TearDown() => _exec?.Delete();

    [Test]
    public void Exec_Emit_PrintsSortedTopicsAndBlob()
    {
        var state = Path.Combine(_exec!.Directory, "state.json");

        var deploy = _exec.Run("events.py", "--datetime", After0110, "--deploy", "--state", state);
        var create = _exec.Run("events.py", "--datetime", After0110, "--method", "create", "--args", "[42]", "--state", state);

        Assert.That(deploy.Stdout, Does.StartWith("executed with `Return(\"\\x00\")`\n"), deploy.Stderr);
        Assert.That(create.ExitCode, Is.Zero, create.Stderr);
        // python-sdk.md §13: topic 0 = keccak("TestEvent(action,user_id)") (the spec's vector b4751df5…23b40dac); the
        // values bind to the sorted names, so action = 42 (calldata d1 02) and user_id = "create" (34 "create"), each
        // right-padded to 32 bytes; the blob holds the indexed fields and the extra kwarg.
        Assert.That(create.Stdout, Is.EqualTo(
            "executed with `Return(\"\\x00\")`\n"
            + "post_event [0xb4751df565fc3554764e2790943960c9cdfe7cf510331db29881bf1523b40dac, "
            + "0xd102000000000000000000000000000000000000000000000000000000000000, "
            + "0x3463726561746500000000000000000000000000000000000000000000000000]: "
            + "{\"action\":42,\"memo\":\"hi\",\"user_id\":\"create\"}\n"), create.Stderr);
    }

    [Test]
    public void Exec_DefaultDatetime_RejectsTheV0110Contract()
    {
        // runners.md §3: the default message datetime (2024-11-26) allows only v0.1.0.
        var create = _exec!.Run("events.py", "--method", "create", "--args", "[42]", "--state", Path.Combine(_exec.Directory, "state.json"));

        Assert.That(create.Stdout, Is.EqualTo("executed with `VMError(\"version_too_big\")`\n"), create.Stderr);
    }
}
