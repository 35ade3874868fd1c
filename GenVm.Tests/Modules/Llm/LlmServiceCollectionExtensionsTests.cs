using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Modules.Llm;

[TestFixture]
public sealed class LlmServiceCollectionExtensionsTests
{
    [Test]
    public void AddLlmModule_ExistingRegistration_IsKept()
    {
        var existing = new NullLlmModule();
        var services = new ServiceCollection().AddSingleton<ILlmModule>(existing);

        services.AddLlmModule(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ILlmModule>(), Is.SameAs(existing));
        Assert.That(services.Count(d => d.ServiceType == typeof(ILlmModule)), Is.EqualTo(1));
    }

    private sealed class NullLlmModule : ILlmModule
    {
        public Task<ModuleAnswer<LlmAnswer>> PromptAsync(LlmPromptPayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
            => throw new NotSupportedException();

        public Task<ModuleAnswer<LlmAnswer>> PromptTemplateAsync(LlmTemplatePayload payload, ulong remainingFuelAsGen, CancellationToken cancellationToken)
            => throw new NotSupportedException();

        public Task<CalldataValue> GetStatsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
