namespace GenVm.Tests.Host;

/// <summary>
/// C programs built at test time with clang-19 and wasi-libc, run by <c>genvm wasm run</c> and by node's WASI:
/// stdout and exit code must be identical.
/// </summary>
[TestFixture]
[Category("Toolchain")]
[Parallelizable(ParallelScope.Children)]
public sealed class WasmVerbCProgramTests
{
    public static IEnumerable<TestCaseData> Programs()
    {
        yield return new TestCaseData("printf_floats", WasmVerbCPrograms.PrintfFloats, Array.Empty<string>(), false);
        yield return new TestCaseData("malloc_heavy", WasmVerbCPrograms.MallocHeavy, Array.Empty<string>(), false);
        yield return new TestCaseData("file_read", WasmVerbCPrograms.FileRead, Array.Empty<string>(), true);
        yield return new TestCaseData("qsort_callbacks", WasmVerbCPrograms.QsortCallbacks, Array.Empty<string>(), false);
        yield return new TestCaseData("deep_recursion", WasmVerbCPrograms.DeepRecursion, Array.Empty<string>(), false);
        yield return new TestCaseData("args_env_exit", WasmVerbCPrograms.ArgsEnvExit, new[] { "one", "two words" }, false);
    }

    [TestCaseSource(nameof(Programs))]
    public async Task RunAsync_CProgram_MatchesNodeWasi(string name, string source, string[] args, bool needsData)
    {
        var wasm = WasmVerbToolchain.Compile(name, source);
        var data = Directory.CreateTempSubdirectory("genvm-cprog-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(data, "input.txt"), "first line\nsecond, longer line with words\n\nlast line without newline");
            Directory.CreateDirectory(Path.Combine(data, "more"));
            File.WriteAllBytes(Path.Combine(data, "more", "b.bin"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());
            var env = new Dictionary<string, string> { ["GREETING"] = "hello there" };
            var preopens = needsData ? new Dictionary<string, string> { ["/data"] = data } : [];

            var node = WasmVerbToolchain.RunNode(wasm, args, env, preopens);
            var verbArgs = new List<string> { "run", "--env", "GREETING=hello there" };
            if (needsData)
            {
                verbArgs.AddRange(["--dir-ro", data + "::/data"]);
            }

            verbArgs.Add(wasm);
            verbArgs.AddRange(args);
            var genvm = await WasmVerbHarness.RunAsync([.. verbArgs]);

            TestContext.Out.WriteLine(genvm.Stdout);
            Assert.That(node.Stdout, Is.Not.Empty, "node produced no output: " + node.Stderr);
            Assert.That(genvm.Stdout, Is.EqualTo(node.Stdout), genvm.Stderr);
            Assert.That(genvm.ExitCode, Is.EqualTo(node.ExitCode), genvm.Stderr);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public async Task RunAsync_CProgramAborts_Returns134WithOutputBeforeTrap()
    {
        var wasm = WasmVerbToolchain.Compile("abort_trap", WasmVerbCPrograms.AbortTrap);
        var (code, stdout, stderr) = await WasmVerbHarness.RunAsync("run", wasm);
        Assert.That(code, Is.EqualTo(134), stderr);
        Assert.That(stdout, Is.EqualTo("before\nx=2\n"));
        Assert.That(stderr, Does.Contain("wasm trap: unreachable"));
        Assert.That(stderr, Does.Contain("wasm backtrace:"));
    }
}
