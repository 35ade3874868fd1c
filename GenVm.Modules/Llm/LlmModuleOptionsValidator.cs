using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace GenVm.Modules.Llm;

/// <summary>
/// Validates what <c>ValidateDataAnnotations</c> does not reach: every backend object, and the startup rule that at
/// least one backend must remain unless empty backends are allowed (modules.md §3.2, <c>no valid backend detected</c>).
/// </summary>
internal sealed class LlmModuleOptionsValidator : IValidateOptions<LlmModuleOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, LlmModuleOptions options)
    {
        var failures = new List<string>();
        foreach (var (backendName, backend) in options.Backends)
        {
            if (!backend.Enabled)
            {
                continue;
            }

            if (backend.InputTokenPrice < 0 || backend.OutputTokenPrice < 0)
            {
                failures.Add($"backends.{backendName}: token prices must not be negative");
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(backend, new ValidationContext(backend), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r => $"backends.{backendName}: {r.ErrorMessage}"));
            }
        }

        if (options.ExecutionBudget < 0)
        {
            failures.Add("execution_budget must not be negative");
        }

        if (failures.Count == 0 && !options.AllowEmptyBackends && LlmBackend.Usable(options).Count == 0)
        {
            failures.Add("no valid backend detected");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
