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

    /// <summary>
    /// phi(h) and phi'(h) on SIMD lanes, the same formulas as <see cref="Value"/> and <see cref="Derivative"/> with
    /// vector arithmetic (conditionals become lane selects, functions <see cref="Compute.LaneMath"/>): the runtime's
    /// CPU loops (two-layer theory, ensembles) call it for every model.
    /// </summary>
    static abstract void Lanes<TLanes>(TLanes h, out TLanes phi, out TLanes dphi)
        where TLanes : struct, Compute.ILanes<TLanes>;

    /// <summary>phi(h), phi'(h) and phi''(h) on SIMD lanes (the propagator's tangents need phi'', DESIGN.md 4.2).</summary>
    static abstract void Lanes<TLanes>(TLanes h, out TLanes phi, out TLanes dphi, out TLanes d2phi)
        where TLanes : struct, Compute.ILanes<TLanes>;
}
