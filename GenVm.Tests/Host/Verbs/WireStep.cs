namespace GenVm.Tests.Host.Verbs;

/// <summary>One line of a <see cref="WireTranscript"/>: a whole request the executor must send, or an answer to send back.</summary>
/// <param name="FromExecutor">True for <c>&gt;</c> (executor → host), false for <c>&lt;</c> (host → executor).</param>
/// <param name="Octets">The exact octets.</param>
/// <param name="Line">1-based line number in the transcript file.</param>
/// <param name="Comment">The text after <c>#</c> on that line, or the last comment line above it.</param>
internal sealed record WireStep(bool FromExecutor, byte[] Octets, int Line, string Comment);
