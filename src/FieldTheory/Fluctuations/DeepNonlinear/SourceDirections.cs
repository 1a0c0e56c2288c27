namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>An additive source family of a layer's site the propagator differentiates with respect to.</summary>
internal enum SourceFamily
{
    /// <summary>Sources j_h on the h equation (u and sigma, the response field conjugate to u).</summary>
    Feature,

    /// <summary>Sources j_z on the z equation (r and rho, the response field conjugate to r).</summary>
    Backward,
}

/// <summary>
/// The source families a site is differentiated in and the index of each derivative direction: direction (family, k)
/// for position k (time-major, k = n P + mu) is k F + slot(family) with F families, so the directions that can act up
/// to the end of step n (positions k &lt; P (n + 1)) are the first F P (n + 1). A first or last layer has one family
/// (F = 1, direction = k); a middle layer of three or more hidden layers has both (DESIGN.md 4.5).
/// </summary>
internal sealed record SourceDirections(bool Feature, bool Backward)
{
    /// <summary>F, the number of families.</summary>
    public int Families => (Feature ? 1 : 0) + (Backward ? 1 : 0);

    /// <summary>The direction index of (family, position k), or -1 where the family is not differentiated.</summary>
    public int Of(SourceFamily family, int k) => family switch
    {
        SourceFamily.Feature => Feature ? k * Families : -1,
        _ => Backward ? k * Families + (Feature ? 1 : 0) : -1,
    };
}
