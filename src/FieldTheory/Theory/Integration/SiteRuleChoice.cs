using FieldTheory.Experiments;

namespace FieldTheory.Theory.Integration;

/// <summary>
/// The site rule a <c>theory</c> section asks for in a d-dimensional Gaussian: <c>auto</c> takes a product grid for
/// d &lt;= <see cref="ProductGridMaxDimension"/> and scrambled QMC above; the site count is checked against the method
/// with a message naming <c>theory.sites</c>. Shared by the two-layer and the online solvers.
/// </summary>
internal static class SiteRuleChoice
{
    /// <summary>Largest dimension for which <c>auto</c> picks a product grid.</summary>
    public const int ProductGridMaxDimension = 3;

    /// <summary>The method for <paramref name="spec"/>; <paramref name="dimensionSource"/> says in messages where d comes from.</summary>
    /// <exception cref="ExperimentException">Too few or too many sites for the method.</exception>
    public static IntegrationMethod Method(TheorySpec spec, int d, string dimensionSource)
    {
        IntegrationMethod method = spec.Integration == IntegrationMethod.Auto
            ? d <= ProductGridMaxDimension ? IntegrationMethod.Quadrature : IntegrationMethod.Qmc
            : spec.Integration;
        if (method == IntegrationMethod.Quadrature)
        {
            int order = SiteRules.GridOrder(spec.Sites, d);
            if (order < 2)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites give fewer than 2 Gauss-Hermite nodes per dimension in {d} dimensions ({dimensionSource}); use at least 2^{d} sites or \"integration\": \"qmc\".");
            }

            if (order > GaussHermite.MaxOrder)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites would need {order} Gauss-Hermite nodes per dimension; at most {GaussHermite.MaxOrder} are supported; use fewer sites or \"integration\": \"qmc\".");
            }
        }
        else if (spec.Sites < 2 * SiteRules.Replicates)
        {
            throw new ExperimentException("theory.sites", $"{spec.Sites} is too few for {method.ToString().ToLowerInvariant()} integration: {SiteRules.Replicates} independent groups of at least 2 sites are needed (at least {2 * SiteRules.Replicates}).");
        }

        return method;
    }

    /// <summary>The rule of <paramref name="method"/> with the section's site count and seed.</summary>
    public static SiteRule Build(IntegrationMethod method, TheorySpec spec, int d) => method switch
    {
        IntegrationMethod.Quadrature => SiteRules.ProductGrid(spec.Sites, d, spec.Seed),
        IntegrationMethod.Qmc => SiteRules.ScrambledHalton(spec.Sites, d, spec.Seed),
        _ => SiteRules.AntitheticMonteCarlo(spec.Sites, d, spec.Seed),
    };
}
