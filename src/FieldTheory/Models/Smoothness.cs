namespace FieldTheory;

/// <summary>How smooth the declared nonlinearity is; it selects the tangent method of DESIGN.md section 4.6.</summary>
public enum Smoothness
{
    /// <summary>Infinitely differentiable wherever it is defined: pathwise tangents are exact.</summary>
    Smooth,

    /// <summary>Continuous, with kinks (jumps in some derivative) at the points listed in <see cref="ActivationInfo.Kinks"/>.</summary>
    Piecewise,

    /// <summary>The value itself jumps at a listed point; gradients do not see the jump.</summary>
    Discontinuous,
}
