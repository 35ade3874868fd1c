using System.Globalization;

namespace GenVm.Bench.Engine;

/// <summary>
/// The arguments the kernel benches share (<c>[--reps N] [kernel...]</c>): how many repetitions, and which of
/// <c>kernels/*.c</c> to run (all when none is named).
/// </summary>
internal sealed record KernelArguments(int Repetitions, IReadOnlyList<string> Sources)
{
    /// <summary>The folder of the kernel sources.</summary>
    public static string KernelDirectory => Path.Combine(RepoLocator.Root, "GenVm.Bench", "Engine", "kernels");

    /// <summary>Parses <paramref name="args"/>; <paramref name="defaultRepetitions"/> when <c>--reps</c> is absent.</summary>
    public static KernelArguments Parse(IReadOnlyList<string> args, int defaultRepetitions)
    {
        var reps = defaultRepetitions;
        var only = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Count)
            {
                reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                only.Add(args[i]);
            }
        }

        var sources = Directory.EnumerateFiles(KernelDirectory, "*.c")
            .Where(p => only.Count == 0 || only.Contains(Path.GetFileNameWithoutExtension(p)))
            .ToList();
        return new KernelArguments(reps, sources);
    }
}
