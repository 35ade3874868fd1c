using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Host.Verbs;

/// <summary>The list of verbs. Each verb is one class; adding a verb is one line here.</summary>
internal static class VerbRegistry
{
    /// <summary>Registers every verb as an <see cref="IVerb"/>.</summary>
    public static IServiceCollection AddGenVmVerbs(this IServiceCollection services)
    {
        services.AddSingleton<IVerb, VersionVerb>();
        services.AddSingleton<IVerb, CalldataVerb>();
        services.AddSingleton<IVerb, WasmVerb>();
        services.AddSingleton<IVerb, RunVerb>();
        services.AddSingleton<IVerb, ModuleVerb>();
        services.AddSingleton<IVerb, RunnersVerb>();
        services.AddSingleton<IVerb, PrecompileVerb>();
        services.AddSingleton<IVerb, ExecVerb>();
        services.AddSingleton<IVerb, ParseVersionPatternVerb>();
        services.AddSingleton<IVerb, ManagerVerb>();
        return services;
    }
}
