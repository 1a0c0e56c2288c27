namespace FieldTheory;

/// <summary>The nonlinearity and its first three derivatives at one point: phi(h), phi'(h), phi''(h), phi'''(h).</summary>
/// <remarks>At a kink of a piecewise nonlinearity the derivatives are those of the branch the declaration selects.</remarks>
public readonly record struct ActivationJet(double Value, double D1, double D2, double D3);
