using Microsoft.AspNetCore.Http;

namespace GenVm.Host.Manager;

/// <summary>
/// A handler failure with the text of the spec's <c>{"error": …}</c> body (manager.md §3). The status is 500 for
/// handler failures, 400 for malformed requests (docs/decisions.md "Manager: malformed requests").
/// </summary>
internal sealed class ManagerException : Exception
{
    /// <summary>A handler failure (HTTP 500).</summary>
    public ManagerException(string message)
        : this(message, StatusCodes.Status500InternalServerError)
    {
    }

    /// <summary>A failure with an explicit status.</summary>
    public ManagerException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the error response.</summary>
    public int StatusCode { get; }

    /// <summary>A malformed request (bad JSON, missing or mistyped field).</summary>
    public static ManagerException BadRequest(string message) => new(message, StatusCodes.Status400BadRequest);
}
