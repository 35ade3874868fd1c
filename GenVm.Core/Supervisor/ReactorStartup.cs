using System.Text;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using GenVm.Wasm;
using WasiExitException = GenVm.Wasm.Wasi.WasiExitException;

namespace GenVm.Core.Supervisor;

/// <summary>
/// Drives a reactor interpreter (our CPython runner, <c>runners/python-reactor/genvm_reactor.c</c>; declared by the
/// runner archive's <c>genvm-start</c> member): the start-up <c>_initialize</c>, <c>genvm_init</c> (the interpreter
/// boot on the WASI argv) and <c>genvm_import</c> of the runner's pre-import list, under a
/// <see cref="DetStartupGuard"/>; then the program is <c>genvm_run</c>. The booted and the snapshot-restored paths
/// (<see cref="LinkingInstanceFactory"/>, <see cref="SnapshotInstanceFactory"/>) run exactly this start-up, so their
/// results agree (docs/decisions.md "Python snapshots").
/// </summary>
internal static class ReactorStartup
{
    /// <summary>The interpreter boot: returns 0, or the exit code to report.</summary>
    public const string InitExport = "genvm_init";

    /// <summary>A buffer for <see cref="ImportExport"/>'s argument.</summary>
    public const string AllocExport = "genvm_alloc";

    /// <summary>Imports a comma-separated, NUL-terminated module list; 0 or -1.</summary>
    public const string ImportExport = "genvm_import";

    /// <summary>The program (<c>Py_RunMain</c>, then <c>exit</c>): the VM's entry.</summary>
    public const string RunExport = "genvm_run";

    /// <summary>
    /// The file listing the modules to import during the start-up, one per line (<c>#</c> comments): shipped by the
    /// SDK runner (<c>runners/py-genlayer-std/genvm-preimport.txt</c>, mapped at <c>/py/libs/</c>). Only modules that
    /// read neither the message nor the host belong there; the guard refuses to snapshot a start-up that does.
    /// </summary>
    public const string PreimportPath = "py/libs/genvm-preimport.txt";

    /// <summary>Whether <paramref name="module"/> has the reactor exports.</summary>
    public static bool IsReactor(Module module) =>
        module.Exports.Any(e => e.Name == InitExport) && module.Exports.Any(e => e.Name == RunExport);

    /// <summary>The modules to pre-import (comma-separated), or empty.</summary>
    public static string Preimports(VirtualFileSystem fileSystem)
    {
        if (VirtualFileSystem.Resolve(fileSystem.Root, PreimportPath, out var node) != WasiErrno.Success || node is not VirtualFile file)
        {
            return string.Empty;
        }

        var names = Encoding.UTF8.GetString(file.Contents.Span)
            .Split('\n')
            .Select(line => (line.Contains('#') ? line[..line.IndexOf('#')] : line).Trim())
            .Where(line => line.Length > 0);
        return string.Join(',', names);
    }

    /// <summary>
    /// Runs the start-up of <paramref name="instance"/> with <paramref name="guard"/> set on <paramref name="wasi"/>
    /// (and cleared again afterwards, whatever happens).
    /// </summary>
    /// <exception cref="WasiExitException"><c>genvm_init</c> reported an exit code (the interpreter refused its argv or environment).</exception>
    /// <exception cref="WasmException">A start-up call trapped or the exports have other signatures.</exception>
    public static void Initialize(Instance instance, DetWasiHost wasi, DetStartupGuard guard, VirtualFileSystem fileSystem)
    {
        wasi.Startup = guard;
        try
        {
            guard.InInterpreterBoot = true;
            if (instance.GetFunction(WasmName.InitializeExport) is { } initialize)
            {
                initialize.Invoke();
            }

            var code = instance.GetFunction(InitExport)!.Invoke()[0].I32;
            if (code != 0)
            {
                throw new WasiExitException(code);
            }

            guard.InInterpreterBoot = false;

            var preimports = Preimports(fileSystem);
            if (preimports.Length > 0 && instance.GetFunction(AllocExport) is { } alloc && instance.GetFunction(ImportExport) is { } import
                && instance.DefaultMemory is { } memory)
            {
                var bytes = Encoding.UTF8.GetBytes(preimports + "\0");
                var pointer = alloc.Invoke(Value.FromI32(bytes.Length))[0].I32;
                bytes.CopyTo(memory.GetSpan((uint)pointer, bytes.Length));
                if (import.Invoke(Value.FromI32(pointer))[0].I32 != 0)
                {
                    // The interpreter printed the error (a write, which taints too); the program fails the same way.
                    guard.Taint("genvm_import failed");
                }
            }
        }
        finally
        {
            guard.InInterpreterBoot = false;
            wasi.Startup = null;
        }
    }
}
