namespace FieldTheory;

/// <summary>What the compiler found out about a nonlinearity: formulas, smoothness, kinks and closed-form family.</summary>
/// <param name="Source">The activation body as declared, in C#.</param>
/// <param name="Phi">phi(h), simplified, in readable notation.</param>
/// <param name="D1">phi'(h).</param>
/// <param name="D2">phi''(h).</param>
/// <param name="D3">phi'''(h).</param>
/// <param name="Smoothness">Smooth, piecewise (kinks) or discontinuous.</param>
/// <param name="Kinks">Points where a derivative (or, if discontinuous, the value) jumps, ascending.</param>
/// <param name="Family">The closed-form Gaussian family, or <see cref="GaussianFamily.General"/>.</param>
/// <param name="FamilyParameters">Parameters of <paramref name="Family"/>, as documented on each member.</param>
public sealed record ActivationInfo(
    string Source,
    string Phi,
    string D1,
    string D2,
    string D3,
    Smoothness Smoothness,
    IReadOnlyList<double> Kinks,
    GaussianFamily Family,
    IReadOnlyList<double> FamilyParameters);
