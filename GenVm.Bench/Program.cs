namespace GenVm.Bench;

/// <summary>Benchmark entry point: <c>GenVm.Bench &lt;area&gt;</c>, one verb per area.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: GenVm.Bench <area>   (areas: calldata, engine, python-start, executor, python, modules, manager)");
            return 2;
        }

        if (args[0] == "calldata") return Calldata.CalldataBench.Run();
        if (args[0] == "engine") return Engine.EngineBench.Run(args[1..]);
        if (args[0] == "engine-codegen") return Engine.CodegenBench.Run(args[1..]);
        if (args[0] == "float-policy") return Floats.FloatPolicyBench.Run(args[1..]);
        if (args[0] == "python-start") return PythonStart.PythonStartBench.Run(args[1..]);
        if (args[0] == "manager") return Manager.ManagerBench.Run(args[1..]);
        if (args[0] == "executor") return Executor.ExecutorBench.Run(args[1..]);
        if (args[0] == "python") return Python.PythonBench.Run(args[1..]);
        if (args[0] == "modules") return Modules.ModulesBench.Run(args[1..]);
        Console.Error.WriteLine($"GenVm.Bench: unknown area '{args[0]}'");
        return 2;
    }
}
