using Microsoft.Extensions.Logging;

namespace GenVm.Modules.Llm;

/// <summary>Log messages of the LLM module (event ids 7000-7099). Keys and prompts are never logged above Trace.</summary>
internal sealed partial class LlmModule
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 7000, Level = LogLevel.Warning, Message = "LLM backend {Backend} dropped: {Reason}")]
        public static partial void BackendDropped(ILogger logger, string backend, string reason);

        [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "no valid backend detected")]
        public static partial void NoBackend(ILogger logger);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "LLM {Format} prompt: candidates {Candidates}")]
        public static partial void Candidates(ILogger logger, LlmFormat format, string candidates);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "LLM backend {Backend} model {Model} overloaded: {Error}")]
        public static partial void Overloaded(ILogger logger, string backend, string model, string error);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "LLM backend {Backend} model {Model} failed: {Error}")]
        public static partial void Failed(ILogger logger, string backend, string model, string error);

        [LoggerMessage(EventId = 7005, Level = LogLevel.Error, Message = "LLM backend {Backend} model {Model} gave a malformed answer: {Error}")]
        public static partial void Malformed(ILogger logger, string backend, string model, string error);

        [LoggerMessage(EventId = 7007, Level = LogLevel.Error, Message = "LLM backend {Backend} model {Model}: bool answer has no boolean result, using false")]
        public static partial void MissingResult(ILogger logger, string backend, string model);

        [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "LLM backend {Backend} model {Model} skipped: the execution's budget does not cover its estimated price")]
        public static partial void OverBudget(ILogger logger, string backend, string model);

        [LoggerMessage(EventId = 7006, Level = LogLevel.Trace, Message = "LLM prompt to {Backend}: {Prompt}")]
        public static partial void Prompt(ILogger logger, string backend, string prompt);
    }
}
