namespace FieldTheory;

/// <summary>
/// A compiled nonlinearity. The generator emits one <c>readonly struct</c> per model implementing this interface, so
/// solvers and ILGPU kernels take it as a generic type argument (<c>where TActivation : struct, IActivation</c>) and
/// the calls are inlined with no delegates or virtual dispatch in hot loops.
/// </summary>
public interface IActivation
{
    /// <summary>phi(h).</summary>
    double Value(double h);

    /// <summary>phi'(h).</summary>
    double Derivative(double h);

    /// <summary>phi(h) and its first three derivatives, with common subexpressions evaluated once.</summary>
    ActivationJet Jet(double h);
}
