using System.Buffers.Binary;
using GenVm.Tests.Wasm.Wasi;
using GenVm.Wasm;
using GenVm.Wasm.Snapshots;
using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Snapshots;

/// <summary>
/// <see cref="WasiStartupRecorder"/>: a start-up that only reads arguments, environment and preopened files seals;
/// clocks, randomness, stdin, writes and leftover descriptors are refused; a fixed boot time answers clock reads;
/// <see cref="WasiStartupState.RequireCompatible"/> checks the restoring host.
/// </summary>
[TestFixture]
public sealed class WasiStartupRecorderTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("genvm-recorder-").FullName;
        File.WriteAllText(Path.Combine(_directory, "lib.py"), "x = 1\n");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Seal_ArgsEnvironAndPreopenedFileClosed_ReturnsState()
    {
        using var guest = new RecordedGuest(Configuration(["python", "-c", "pass"]));
        Assert.That(guest.Call("args_sizes_get", 0, 4), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Call("environ_sizes_get", 0, 4), Is.EqualTo(WasiErrno.Success));
        var fd = guest.OpenFile("lib.py");
        Assert.That(guest.Call("fd_read", fd, 512, 1, 600), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.Call("fd_close", fd), Is.EqualTo(WasiErrno.Success));

        Assert.That(guest.Recorder.Seal(), Is.Not.Null);
        Assert.That(guest.Recorder.Taints, Is.Empty);
    }

    [TestCase("clock_time_get", 0L, 0L, 8L)]
    [TestCase("random_get", 8L, 16L)]
    [TestCase("fd_read", 0L, 512L, 1L, 600L)]
    [TestCase("fd_write", 1L, 512L, 1L, 600L)]
    [TestCase("poll_oneoff", 8L, 64L, 1L, 600L)]
    public void Seal_PerExecutionInputOrOutput_Throws(string function, params long[] args)
    {
        using var guest = new RecordedGuest(Configuration(["python"]));
        guest.Call(function, args);

        var ex = Assert.Throws<SnapshotMismatchException>(() => guest.Recorder.Seal())!;
        Assert.That(ex.Message, Does.Contain(function));
    }

    [Test]
    public void Seal_FileLeftOpen_Throws()
    {
        using var guest = new RecordedGuest(Configuration(["python"]));
        guest.OpenFile("lib.py");

        var ex = Assert.Throws<SnapshotMismatchException>(() => guest.Recorder.Seal())!;
        Assert.That(ex.Message, Does.Contain("descriptor table"));
    }

    [Test]
    public void Define_WithBootTime_ClockReadsSeeItAndDoNotTaint()
    {
        var boot = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var guest = new RecordedGuest(Configuration(["python"]), boot);
        Assert.That(guest.Call("clock_time_get", 0, 0, 8), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU64(8), Is.EqualTo((ulong)(boot - DateTimeOffset.UnixEpoch).Ticks * 100));

        guest.Recorder.Seal();

        // After the start-up the host's own clock answers again.
        Assert.That(guest.Call("clock_time_get", 0, 0, 8), Is.EqualTo(WasiErrno.Success));
        Assert.That(guest.ReadU64(8), Is.Not.EqualTo((ulong)(boot - DateTimeOffset.UnixEpoch).Ticks * 100));
    }

    [Test]
    public void RequireCompatible_SameConfigurationOtherStreams_Passes()
    {
        using var guest = new RecordedGuest(Configuration(["python", "-c", "pass"]));
        var state = guest.Recorder.Seal();

        using var other = new WasiHost(Configuration(["python", "-c", "pass"], stdout: new MemoryStream()));
        Assert.DoesNotThrow(() => state.RequireCompatible(other));
    }

    [Test]
    public void RequireCompatible_OtherArgumentsOrPreopens_Throws()
    {
        using var guest = new RecordedGuest(Configuration(["python", "-c", "pass"]));
        var state = guest.Recorder.Seal();

        using var otherArgs = new WasiHost(Configuration(["python", "-c", "print(1)"]));
        Assert.Throws<SnapshotMismatchException>(() => state.RequireCompatible(otherArgs));
        using var otherPreopen = new WasiHost(new WasiConfiguration
        {
            Args = ["python", "-c", "pass"],
            Preopens = [WasiPreopen.FromHostDirectory(Path.GetTempPath(), "/py/std", true)],
        });
        Assert.Throws<SnapshotMismatchException>(() => state.RequireCompatible(otherPreopen));
    }

    private WasiConfiguration Configuration(string[] args, Stream? stdout = null) => new()
    {
        Args = args,
        Environment = [new("PYTHONHOME", "/py/std")],
        Stdin = new MemoryStream([1, 2, 3]),
        Stdout = stdout ?? new MemoryStream(),
        Preopens = [WasiPreopen.FromHostDirectory(_directory, "/py/std", true)],
    };

    /// <summary>The WASI proxy guest with its imports defined through a recorder.</summary>
    private sealed class RecordedGuest : IDisposable
    {
        private readonly Store _store;
        private readonly Instance _instance;

        public RecordedGuest(WasiConfiguration configuration, DateTimeOffset? bootTime = null)
        {
            Host = new WasiHost(configuration);
            Recorder = new WasiStartupRecorder(Host, bootTime);
            var engine = new Engine();
            _store = new Store(engine);
            var linker = new Linker(engine);
            Recorder.Define(linker);
            _instance = linker.Instantiate(_store, Module.FromBytes(engine, WasiProxyModule.Compile()));
        }

        public WasiHost Host { get; }

        public WasiStartupRecorder Recorder { get; }

        public WasiErrno Call(string name, params long[] args)
        {
            var func = _instance.GetFunction(name)!;
            var values = args.Select((a, i) => func.Type.Parameters[i] == ValueKind.I64 ? Value.FromI64(a) : Value.FromI32(unchecked((int)a))).ToArray();
            var results = func.Invoke(values);
            return results.Length == 0 ? WasiErrno.Success : (WasiErrno)results[0].I32;
        }

        /// <summary>Opens a file of the preopen (fd 3) for reading; returns its descriptor.</summary>
        public int OpenFile(string name)
        {
            var memory = _instance.GetMemory("memory")!;
            System.Text.Encoding.UTF8.GetBytes(name).CopyTo(memory.GetSpan(1024, name.Length));
            BinaryPrimitives.WriteUInt32LittleEndian(memory.GetSpan(512, 4), 700);
            BinaryPrimitives.WriteUInt32LittleEndian(memory.GetSpan(516, 4), 16);
            var errno = Call("path_open", 3, 0, 1024, name.Length, 0, 2, 0, 0, 600); // rights: fd_read only
            Assert.That(errno, Is.EqualTo(WasiErrno.Success));
            return (int)BinaryPrimitives.ReadUInt32LittleEndian(memory.GetSpan(600, 4));
        }

        public ulong ReadU64(int address) => BinaryPrimitives.ReadUInt64LittleEndian(_instance.GetMemory("memory")!.GetSpan((ulong)address, 8));

        public void Dispose()
        {
            _store.Dispose();
            Host.Dispose();
        }
    }
}
