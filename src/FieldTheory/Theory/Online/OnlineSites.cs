using FieldTheory.Experiments;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Online;

/// <summary>
/// The neuron sites of online learning (DESIGN.md 3.5): (W, w) ~ N(0, I_(D+1)) integrated by a
/// <see cref="SiteRule"/> in D + 1 dimensions chosen by <see cref="SiteRuleChoice"/>.
/// </summary>
internal static class OnlineSites
{
    /// <summary>The site rule for <paramref name="spec"/> with inputs of dimension <paramref name="inputDimension"/>.</summary>
    public static SiteRule Build(TheorySpec spec, int inputDimension)
    {
        int d = inputDimension + 1;
        return SiteRuleChoice.Build(SiteRuleChoice.Method(spec, d, "D + 1"), spec, d);
    }

    /// <summary>The measure the estimate uses: all replicate groups pooled (weights / R).</summary>
    public static (double[] Nodes, double[] Weights) Main(SiteRule rule)
    {
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
