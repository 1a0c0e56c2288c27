using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Specs
{
    /// <summary>phi and its first three derivatives, simplified, with what the analysis passes found.</summary>
    internal sealed record CompiledActivation(
        Expr Phi,
        Expr D1,
        Expr D2,
        Expr D3,
        SmoothnessClass Smoothness,
        EquatableArray<double> Kinks,
        EquatableArray<double> Jumps,
        FamilyKind Family,
        EquatableArray<double> FamilyParameters);

    /// <summary>A declaration after the symbolic passes: everything the emitter needs.</summary>
    internal sealed record CompiledNetwork(NetworkSpec Spec, CompiledActivation Activation);

    /// <summary>The result of the symbolic passes: a network to emit (unless an error was found) and diagnostics.</summary>
    internal sealed record CompileResult(CompiledNetwork? Network, EquatableArray<DiagnosticInfo> Diagnostics);
}
