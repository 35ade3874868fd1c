namespace GenVm.Host.Manager;

/// <summary>The modules the manager hosts (manager.md §4 <c>/module/start</c>).</summary>
internal enum ModuleKind
{
    /// <summary>The LLM module.</summary>
    Llm,

    /// <summary>The web module.</summary>
    Web,
}
