namespace GenVm.Modules.Web;

/// <summary>A DevTools protocol error or a lost browser connection.</summary>
internal sealed class CdpException : Exception
{
    public CdpException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
