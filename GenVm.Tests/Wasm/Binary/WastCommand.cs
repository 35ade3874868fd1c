namespace GenVm.Tests.Wasm.Binary;

/// <summary>One module-carrying command of a converted <c>.wast</c> script.</summary>
/// <param name="Type">"module", "assert_malformed", "assert_invalid", "assert_unlinkable", ...</param>
/// <param name="Line">Line in the script.</param>
/// <param name="ModulePath">The module file wast2json wrote.</param>
/// <param name="ModuleType">"binary" or "text" (text ones are quoted .wat, not our concern).</param>
/// <param name="Text">Expected error text, if any.</param>
internal sealed record WastCommand(string Type, int Line, string ModulePath, string ModuleType, string? Text);
