using GenVm.Core.Modules;
using GenVm.Modules.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenVm.Host.Configuration;

/// <summary>The process-wide modules of <c>run</c>/<c>exec</c>: given ones (tests, the manager) or those of <see cref="ExecutorModules"/>.</summary>
internal static class ExecutorModuleResolver
{
    /// <summary>
    /// Resolves the modules; false with a one-line <paramref name="error"/> when a configured in-process module cannot
    /// start (bad options, a broken script).
    /// </summary>
    public static bool TryResolve(
        IServiceProvider? services, ILlmModule? givenLlm, IWebModule? givenWeb, out ILlmModule? llm, out IWebModule? web, out string error)
    {
        llm = givenLlm;
        web = givenWeb;
        error = string.Empty;
        try
        {
            llm ??= services?.GetService<ILlmModule>();
            web ??= services?.GetService<IWebModule>();
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or LuaScriptException or IOException or UriFormatException)
        {
            error = $"module configuration: {e.Message}";
            return false;
        }
    }
}
