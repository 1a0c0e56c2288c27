using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Specs
{
    /// <summary>
    /// A parsed [Network] declaration: plain values only (no symbols or syntax), so it caches across edits.
    /// </summary>
    /// <param name="Namespace">Containing namespace, or empty for the global namespace.</param>
    /// <param name="TypeName">The declaring type's name, which is also the catalogue name.</param>
    /// <param name="HiddenLayers">L in DESIGN.md section 2.</param>
    /// <param name="ActivationSource">The activation body as written.</param>
    /// <param name="Phi">The activation as IR, not yet simplified.</param>
    /// <param name="Location">The activation body, for diagnostics found after parsing.</param>
    /// <param name="TypeLocation">The type's name in its declaration, for diagnostics about the type.</param>
    internal sealed record NetworkSpec(
        string Namespace,
        string TypeName,
        int HiddenLayers,
        string ActivationSource,
        Expr Phi,
        LocationInfo? Location,
        LocationInfo? TypeLocation)
    {
        public string FullTypeName => Namespace.Length == 0 ? TypeName : Namespace + "." + TypeName;
    }

    /// <summary>The result of parsing one declaration: a spec when it is valid, and the diagnostics found.</summary>
    internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A catalogue entry: what the registry needs of one model.</summary>
    internal sealed record RegistryEntry(string FullTypeName, string TypeName, LocationInfo? Location);
}
