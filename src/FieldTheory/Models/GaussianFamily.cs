namespace FieldTheory;

/// <summary>
/// Families whose Gaussian expectations E[phi(u) phi(v)] and E[phi'(u) phi'(v)] have closed forms (DESIGN.md 3.4).
/// <see cref="ActivationInfo.FamilyParameters"/> holds the parameters whose meaning each member states.
/// </summary>
public enum GaussianFamily
{
    /// <summary>No closed form is known: use quadrature.</summary>
    General,

    /// <summary>phi(h) = c0 + c1 h. Parameters: [c0, c1].</summary>
    Linear,

    /// <summary>phi(h) = sum_k c_k h^k (Isserlis). Parameters: [c0, c1, ..., c_degree].</summary>
    Polynomial,

    /// <summary>phi(h) = a h for h &lt; 0 and b h for h &gt; 0 (ReLU: a = 0, b = 1; arc-cosine kernels). Parameters: [a, b].</summary>
    ReluLike,

    /// <summary>phi(h) = a erf(b h) + c (arcsine kernel). Parameters: [a, b, c].</summary>
    Erf,
}
