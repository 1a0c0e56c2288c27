using FieldTheory.Experiments;

namespace FieldTheory.Theory.Integration;

/// <summary>
/// The site rule a <c>theory</c> section asks for in a d-dimensional Gaussian; the site count is checked against the
/// method with a message naming <c>theory.sites</c>. Shared by the two-layer and the online solvers.
/// </summary>
/// <remarks>
/// <c>auto</c> takes scrambled QMC in every dimension: it is unbiased, so the spread of its scramblings is an honest
/// error. A product grid is more accurate on smooth problems (two-layer tanh, x = y = 1, gamma0 = 1, eta = 0.1, T = 20,
/// 102400 sites: Delta errors 1e-6..8e-6 against QMC's 5e-5..7e-5; online learning at D = 2: ten times), but as the
/// site integrand roughens its error becomes a bias that no rotation averages away and its error estimate misleads:
/// eta = 0.05, T = 160, 25600 sites, K(T): QMC errors 3-4e-4 against 0.9-1.4e-3 for 8 rotated 56^2 grids; eta = 2.6,
/// T = 40: rotated grids 64^2, 128^2, 256^2 are 3.3, -7.6 and -1.6 of their own error estimates off the truth (0.61960,
/// where QMC with 262144 sites gives +- 1e-5). Product grids stay available by name for problems known to be smooth.
/// </remarks>
internal static class SiteRuleChoice
{
    /// <summary>The method for <paramref name="spec"/>; <paramref name="dimensionSource"/> says in messages where d comes from.</summary>
    /// <exception cref="ExperimentException">Too few or too many sites for the method.</exception>
    public static IntegrationMethod Method(TheorySpec spec, int d, string dimensionSource)
    {
        IntegrationMethod method = spec.Integration == IntegrationMethod.Auto ? IntegrationMethod.Qmc : spec.Integration;
        if (method == IntegrationMethod.Quadrature)
        {
            int order = SiteRules.GridOrder(spec.Sites / SiteRules.Replicates, d);
            if (order < 2)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites give fewer than 2 Gauss-Hermite nodes per dimension in each of the {SiteRules.Replicates} rotated grids in {d} dimensions ({dimensionSource}); use at least {SiteRules.Replicates} x 2^{d} = {SiteRules.Replicates << d} sites or \"integration\": \"qmc\".");
            }

            if (order > GaussHermite.MaxOrder)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites would need {order} Gauss-Hermite nodes per dimension in each of the {SiteRules.Replicates} rotated grids; at most {GaussHermite.MaxOrder} are supported; use fewer sites or \"integration\": \"qmc\".");
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
        IntegrationMethod.Quadrature => SiteRules.ProductGrid(spec.Sites, d, spec.Seed, spec.PrunedMass),
        IntegrationMethod.Qmc => SiteRules.ScrambledHalton(spec.Sites, d, spec.Seed),
        _ => SiteRules.AntitheticMonteCarlo(spec.Sites, d, spec.Seed),
    };
}
