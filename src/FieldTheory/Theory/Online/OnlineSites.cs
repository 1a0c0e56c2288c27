using FieldTheory.Experiments;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Online;

/// <summary>
/// The neuron sites of online learning (DESIGN.md 3.5): (W, w) ~ N(0, I_(D+1)) integrated by a
/// <see cref="SiteRule"/> in D + 1 dimensions. <c>auto</c> picks a rotated product grid when D + 1 &lt;=
/// <see cref="ProductGridMaxDimension"/> and scrambled Halton points above.
/// </summary>
internal static class OnlineSites
{
    /// <summary>Largest site dimension D + 1 for which <c>auto</c> picks a product grid.</summary>
    public const int ProductGridMaxDimension = 3;

    /// <summary>The site rule for <paramref name="spec"/> with inputs of dimension <paramref name="inputDimension"/>.</summary>
    public static SiteRule Build(TheorySpec spec, int inputDimension)
    {
        int d = inputDimension + 1;
        IntegrationMethod method = spec.Integration == IntegrationMethod.Auto
            ? d <= ProductGridMaxDimension ? IntegrationMethod.Quadrature : IntegrationMethod.Qmc
            : spec.Integration;
        if (method == IntegrationMethod.Quadrature)
        {
            int order = SiteRules.GridOrder(spec.Sites, d);
            if (order < 2)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites give fewer than 2 Gauss-Hermite nodes per dimension in D + 1 = {d} dimensions; use at least 2^{d} sites or \"integration\": \"qmc\".");
            }

            if (order > GaussHermite.MaxOrder)
            {
                throw new ExperimentException("theory.sites", $"{spec.Sites} sites would need {order} Gauss-Hermite nodes per dimension; at most {GaussHermite.MaxOrder} are supported; use fewer sites or \"integration\": \"qmc\".");
            }

            return SiteRules.ProductGrid(spec.Sites, d, spec.Seed);
        }

        if (spec.Sites < 2 * SiteRules.Replicates)
        {
            throw new ExperimentException("theory.sites", $"{spec.Sites} is too few for {method.ToString().ToLowerInvariant()} integration: {SiteRules.Replicates} independent groups of at least 2 sites are needed (at least {2 * SiteRules.Replicates}).");
        }

        return method == IntegrationMethod.Qmc
            ? SiteRules.ScrambledHalton(spec.Sites, d, spec.Seed)
            : SiteRules.AntitheticMonteCarlo(spec.Sites, d, spec.Seed);
    }

    /// <summary>
    /// The measure the estimate uses: the fine grid of a product rule, or all replicate groups pooled (weights / R).
    /// </summary>
    public static (double[] Nodes, double[] Weights) Main(SiteRule rule)
    {
        if (rule.Combination == GroupCombination.Resolutions)
        {
            int fine = rule.GroupStart[1];
            return (rule.Nodes[..(fine * rule.Dimension)], rule.Weights[..fine]);
        }

        return (rule.Nodes, [.. rule.Weights.Select(w => w / rule.Groups)]);
    }

    /// <summary>Group <paramref name="g"/> of the rule as its own measure.</summary>
    public static (double[] Nodes, double[] Weights) Group(SiteRule rule, int g)
    {
        int start = rule.GroupStart[g];
        int end = rule.GroupStart[g + 1];
        return (rule.Nodes[(start * rule.Dimension)..(end * rule.Dimension)], rule.Weights[start..end]);
    }
}
