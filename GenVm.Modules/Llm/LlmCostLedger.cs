using System.Globalization;
using GenVm.Core.Calldata;

namespace GenVm.Modules.Llm;

/// <summary>
/// What one execution spent on LLM providers (issue 7 "cost and budget tracking"): provider calls, the tokens the
/// providers reported (or estimated, when they report none) and their price from the backends' <c>price</c> options.
/// Node-local bookkeeping only: it never changes <c>consumed_gen</c> (modules.md §2.5), which the script answers.
/// </summary>
internal sealed class LlmCostLedger
{
    private readonly Lock _lock = new();
    private decimal _spent;
    private long _calls;
    private long _refused;
    private long _promptTokens;
    private long _completionTokens;

    /// <summary>Total price of the calls so far.</summary>
    public decimal Spent
    {
        get
        {
            lock (_lock)
            {
                return _spent;
            }
        }
    }

    /// <summary>Provider calls charged so far.</summary>
    public long Calls
    {
        get
        {
            lock (_lock)
            {
                return _calls;
            }
        }
    }

    /// <summary>Backends skipped because their estimated price did not fit the budget.</summary>
    public long Refused
    {
        get
        {
            lock (_lock)
            {
                return _refused;
            }
        }
    }

    /// <summary>
    /// Whether a call estimated at <paramref name="estimate"/> still fits <paramref name="budget"/> (null: no budget);
    /// a refusal is counted.
    /// </summary>
    public bool TryAdmit(decimal estimate, decimal? budget)
    {
        lock (_lock)
        {
            if (budget is { } limit && _spent + estimate > limit)
            {
                _refused++;
                return false;
            }

            return true;
        }
    }

    /// <summary>Adds one finished provider call.</summary>
    public void Charge(decimal price, long promptTokens, long completionTokens)
    {
        lock (_lock)
        {
            _spent += price;
            _calls++;
            _promptTokens += promptTokens;
            _completionTokens += completionTokens;
        }
    }

    /// <summary>
    /// The ledger as calldata for <c>GetStats</c>: token counts as integers, the price as a decimal string (calldata
    /// has no fractions, modules.md §2.2).
    /// </summary>
    public CalldataMap ToCalldata()
    {
        lock (_lock)
        {
            return CalldataValue.FromMap(
                ("calls", _calls),
                ("completion_tokens", _completionTokens),
                ("prompt_tokens", _promptTokens),
                ("refused", _refused),
                ("spent", _spent.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
