namespace GenVm.Host.Verbs;

/// <summary>One command-line verb of the <c>genvm</c> executable (for example <c>calldata</c> or <c>wasm</c>).</summary>
internal interface IVerb
{
    /// <summary>The first command-line word that selects this verb.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Runs the verb with the words after its name; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
