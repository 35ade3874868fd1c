namespace GenVm.Bench.Engine;

/// <summary>
/// The reference: node's <c>node:wasi</c> (preview1) with V8's optimising tier only (<c>--no-liftoff</c>, so every
/// function is compiled by TurboFan before it runs).
/// </summary>
internal static class NodeRunner
{
    private const string Script = """
        import { readFile } from 'node:fs/promises';
        import { WASI } from 'node:wasi';
        const [file] = process.argv.slice(2);
        const wasi = new WASI({ version: 'preview1', args: [file], env: {}, returnOnExit: true });
        const module = await WebAssembly.compile(await readFile(file));
        const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
        process.exitCode = wasi.start(instance);
        """;

    /// <summary>The node arguments that run <paramref name="wasm"/>.</summary>
    public static string[] Arguments(string wasm) => ["--no-warnings", "--no-liftoff", ScriptPath(), wasm];

    private static string ScriptPath()
    {
        Directory.CreateDirectory(KernelToolchain.CacheDirectory);
        var path = Path.Combine(KernelToolchain.CacheDirectory, "node-wasi-runner.mjs");
        if (!File.Exists(path) || File.ReadAllText(path) != Script)
        {
            var temp = path + "." + Environment.ProcessId;
            File.WriteAllText(temp, Script);
            File.Move(temp, path, overwrite: true);
        }

        return path;
    }
}
