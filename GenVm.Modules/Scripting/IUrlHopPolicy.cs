namespace GenVm.Modules.Scripting;

/// <summary>
/// Checks every URL a request visits, the first and each redirect target (the reference checks only the first,
/// modules.md §4.3). Returns the module error to raise, or null to allow.
/// </summary>
internal interface IUrlHopPolicy
{
    /// <summary>Checks one hop.</summary>
    LuaModuleError? Check(Uri url);
}
