namespace FieldTheory.Theory.Integration;

/// <summary>How the estimates of a rule's groups become one estimate and its error.</summary>
internal enum GroupCombination
{
    /// <summary>Equal-size independent randomisations: the mean, with error sd / sqrt(R) over the R groups.</summary>
    Replicates,

    /// <summary>Two deterministic resolutions: the fine group (0), with error |fine - coarse| (an upper-bound estimate).</summary>
    Resolutions,
}

/// <summary>
/// Weighted nodes z in R^d approximating E over z ~ N(0, I_d), split into groups that are integrated independently
/// (each group is a complete rule whose weights sum to 1), so that the spread between groups estimates the error.
/// </summary>
/// <param name="Dimension">d.</param>
/// <param name="Nodes">Group after group, row-major: node i is Nodes[i*d .. i*d + d).</param>
/// <param name="Weights">One weight per node; each group's weights sum to 1.</param>
/// <param name="GroupStart">Node index where each group starts, plus the total node count at the end.</param>
/// <param name="Combination">How group estimates combine.</param>
/// <param name="ReportedSites">The number of sites behind the reported estimate.</param>
/// <param name="Description">One line: which rule, which resolution, how the error is estimated.</param>
internal sealed record SiteRule(
    int Dimension,
    double[] Nodes,
    double[] Weights,
    int[] GroupStart,
    GroupCombination Combination,
    int ReportedSites,
    string Description)
{
    /// <summary>Total nodes over all groups.</summary>
    public int Count => Weights.Length;

    /// <summary>Number of groups.</summary>
    public int Groups => GroupStart.Length - 1;

    /// <summary>One estimate and its error from the per-group values of the same quantity.</summary>
    public (double Estimate, double Error) Combine(ReadOnlySpan<double> perGroup)
    {
        if (Combination == GroupCombination.Resolutions)
        {
            return (perGroup[0], Math.Abs(perGroup[0] - perGroup[1]));
        }

        double mean = 0.0;
        foreach (double v in perGroup)
        {
            mean += v;
        }

        mean /= perGroup.Length;
        double squares = 0.0;
        foreach (double v in perGroup)
        {
            squares += (v - mean) * (v - mean);
        }

        return (mean, Math.Sqrt(squares / (perGroup.Length - 1) / perGroup.Length));
    }
}
