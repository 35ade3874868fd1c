using System.Globalization;
using GenVm.Core.Calldata;
using GenVm.Core.Modules;
using GenVm.Core.Protocol;

namespace GenVm.Core.Sdk;

/// <content>
/// <c>gl_call</c> kinds served by the modules (wasm-abi.md §4, §4.3): <c>WebRender</c>, <c>WebRequest</c>,
/// <c>ExecPrompt</c>, <c>ExecPromptTemplate</c>. Their payloads ignore unknown fields. A module that is not configured,
/// fails in transport or answers <c>FatalError</c> ends the transaction as an internal error (host-protocol.md §11).
/// </content>
internal sealed partial class GenlayerSdk
{
    private SdkErrno WebRender(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = payload as CalldataMap ?? throw new ShapeException();
        var mode = Required(fields, "mode") switch
        {
            CalldataString { Value: WebRenderMode.Text } => RenderMode.Text,
            CalldataString { Value: WebRenderMode.Html } => RenderMode.Html,
            CalldataString { Value: WebRenderMode.Screenshot } => RenderMode.Screenshot,
            _ => throw new ShapeException(),
        };
        var url = StringField(Required(fields, "url"));
        var wait = fields.TryGetValue("wait_after_loaded", out var w) ? WaitDuration(w) : TimeSpan.Zero;
        if (_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        var web = _services?.Web ?? throw new SubVmInternalException("no web module is configured (modules.web.address)");
        var answer = Module(t => web.RenderAsync(new WebRenderRequest(mode, url, wait), t));
        resultFile = AnswerFile(answer.IsOk ? answer.Value.ToCalldata() : null, answer.UserError);
        return SdkErrno.Success;
    }

    private SdkErrno WebRequest(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = payload as CalldataMap ?? throw new ShapeException();
        var method = StringField(Required(fields, "method"));
        if (!WebHttpRequest.AllowedMethods.Contains(method))
        {
            throw new ShapeException();
        }

        var url = StringField(Required(fields, "url"));
        var headers = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var (name, value) in Required(fields, "headers") as CalldataMap ?? throw new ShapeException())
        {
            headers[name] = BytesField(value);
        }

        ReadOnlyMemory<byte>? body = fields.TryGetValue("body", out var b) && !b.IsNull ? BytesField(b) : null;
        var sign = fields.TryGetValue("sign", out var s) && (s is CalldataBool flag ? flag.Value : throw new ShapeException());
        if (_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        var web = _services?.Web ?? throw new SubVmInternalException("no web module is configured (modules.web.address)");
        var answer = Module(t => web.RequestAsync(new WebHttpRequest(method, url, headers, body, sign), t));
        resultFile = AnswerFile(answer.IsOk ? answer.Value.ToCalldata() : null, answer.UserError);
        return SdkErrno.Success;
    }

    private SdkErrno ExecPrompt(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = payload as CalldataMap ?? throw new ShapeException();
        var prompt = StringField(Required(fields, "prompt"));
        var images = (Required(fields, "images") as CalldataArray ?? throw new ShapeException()).Select(BytesField).ToList();
        var format = fields.TryGetValue("response_format", out var f)
            ? f switch
            {
                CalldataString { Value: ResponseFormat.Text } => LlmResponseFormat.Text,
                CalldataString { Value: ResponseFormat.Json } => LlmResponseFormat.Json,
                _ => throw new ShapeException(),
            }
            : LlmResponseFormat.Text;
        if (_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        if (images.Count > AbiLimit.MaxPromptImages)
        {
            return SdkErrno.Inval;
        }

        var llm = _services?.Llm ?? throw new SubVmInternalException("no LLM module is configured (modules.llm.address)");
        var answer = Llm(llm, (l, fuel, t) => l.PromptAsync(new LlmPromptPayload(prompt, images, format), fuel, t));
        resultFile = AnswerFile(answer.IsOk ? answer.Value.Data : null, answer.UserError);
        return SdkErrno.Success;
    }

    private SdkErrno ExecPromptTemplate(CalldataValue payload, out byte[]? resultFile)
    {
        resultFile = null;
        var fields = payload as CalldataMap ?? throw new ShapeException();
        string Text(string name) => StringField(Required(fields, name));
        LlmTemplatePayload template = Required(fields, "template") switch
        {
            CalldataString { Value: PromptTemplate.EqComparative } =>
                new EqComparativeTemplate(Text("leader_answer"), Text("validator_answer"), Text("principle")),
            CalldataString { Value: PromptTemplate.EqNonComparativeLeader } =>
                new EqNonComparativeLeaderTemplate(Text("task"), Text("criteria"), Text("input")),
            CalldataString { Value: PromptTemplate.EqNonComparativeValidator } =>
                new EqNonComparativeValidatorTemplate(Text("task"), Text("criteria"), Text("input"), Text("output")),
            _ => throw new ShapeException(),
        };
        if (_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        var llm = _services?.Llm ?? throw new SubVmInternalException("no LLM module is configured (modules.llm.address)");
        var answer = Llm(llm, (l, fuel, t) => l.PromptTemplateAsync(template, fuel, t));
        if (answer.IsOk)
        {
            // §4: Bool for the comparative/validator templates, Str for the leader template; else internal error.
            var fits = template.ExpectsBoolAnswer ? answer.Value.Data is CalldataBool : answer.Value.Data is CalldataString;
            if (!fits)
            {
                throw new SubVmInternalException($"LLM answered {answer.Value.Data.Kind} to template {template.TemplateName}");
            }
        }

        resultFile = AnswerFile(answer.IsOk ? answer.Value.Data : null, answer.UserError);
        return SdkErrno.Success;
    }

    // §4 ExecPrompt: remaining_fuel_as_gen right before the call, consume_fuel(consumed_gen) after a success.
    private ModuleAnswer<LlmAnswer> Llm(ILlmModule llm, Func<ILlmModule, ulong, CancellationToken, Task<ModuleAnswer<LlmAnswer>>> call)
    {
        var fuel = Wait(t => _host.RemainingFuelAsGenAsync(t));
        var answer = Module(t => call(llm, fuel, t));
        if (answer.IsOk)
        {
            Wait(t => _host.ConsumeFuelAsync(answer.Value.ConsumedGen, t));
        }

        return answer;
    }

    private T Module<T>(Func<CancellationToken, Task<T>> call)
    {
        try
        {
            return Wait(call);
        }
        catch (ModuleFatalException e)
        {
            throw new SubVmInternalException("module failed: " + e.Message, e);
        }
    }

    // §4.3: {"ok": answer} or {"error": the module's user error}.
    private static byte[] AnswerFile(CalldataValue? ok, CalldataValue? error)
        => CalldataCodec.Encode(ok is not null
            ? CalldataValue.FromMap((AnswerKey.Ok, ok))
            : CalldataValue.FromMap((AnswerKey.Error, error ?? CalldataValue.Null)));

    private static CalldataValue Required(CalldataMap fields, string name)
        => fields.TryGetValue(name, out var value) ? value : throw new ShapeException();

    private static string StringField(CalldataValue value) => value is CalldataString s ? s.Value : throw new ShapeException();

    // §4 WebRender: "<n>ms" or "<n>s".
    private static TimeSpan WaitDuration(CalldataValue value)
    {
        var text = StringField(value);
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1L)
            : text.EndsWith('s') ? (text[..^1], 1000L)
            : throw new ShapeException();
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? TimeSpan.FromMilliseconds(n * unit)
            : throw new ShapeException();
    }
}
