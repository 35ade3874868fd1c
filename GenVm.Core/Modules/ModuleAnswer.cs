using System.Diagnostics.CodeAnalysis;
using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>
/// A module's reply (host-protocol.md §11, modules.md §2.3) after transport: <c>{"Ok": answer}</c> or
/// <c>{"UserError": generic value}</c>. The third variant, <c>{"FatalError": Str}</c>, is not an answer: it is
/// thrown as <see cref="ModuleFatalException"/>.
/// </summary>
/// <typeparam name="T">The answer type of the request.</typeparam>
public sealed class ModuleAnswer<T>
    where T : class
{
    private ModuleAnswer(T? value, CalldataValue? userError)
    {
        Value = value;
        UserError = userError;
    }

    /// <summary>True for <c>Ok</c>.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(UserError))]
    public bool IsOk => Value is not null;

    /// <summary>The answer of an <c>Ok</c> reply.</summary>
    public T? Value { get; }

    /// <summary>
    /// The generic value of a <c>UserError</c> reply (in practice <c>{"causes": [Str…], "ctx": {…}}</c>); the
    /// executor hands it to the contract as <c>{"error": value}</c> (wasm-abi.md §4.3).
    /// </summary>
    public CalldataValue? UserError { get; }

    /// <summary>An <c>Ok</c> reply.</summary>
    public static ModuleAnswer<T> Ok(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    /// <summary>A <c>UserError</c> reply.</summary>
    public static ModuleAnswer<T> Error(CalldataValue userError) => new(null, userError ?? throw new ArgumentNullException(nameof(userError)));
}
