namespace FieldTheory.Theory.Integration;

/// <summary>
/// Weighted nodes z in R^d approximating E over z ~ N(0, I_d), split into groups that are integrated independently
/// (each group is a complete rule whose weights sum to 1): independent randomisations of equal size, so that the
/// estimate is their mean and its error the spread between them over sqrt(groups).
/// </summary>
/// <param name="Dimension">d.</param>
/// <param name="Nodes">Group after group, row-major: node i is Nodes[i*d .. i*d + d).</param>
/// <param name="Weights">One weight per node; each group's weights sum to 1.</param>
/// <param name="GroupStart">Node index where each group starts, plus the total node count at the end.</param>
/// <param name="ReportedSites">The number of sites behind the reported estimate.</param>
/// <param name="Description">One line: which rule, which resolution, how the error is estimated.</param>
internal sealed record SiteRule(
    int Dimension,
    double[] Nodes,
    double[] Weights,
    int[] GroupStart,
    int ReportedSites,
    string Description)
{
    /// <summary>Total nodes over all groups.</summary>
    public int Count => Weights.Length;

    /// <summary>Number of groups.</summary>
    public int Groups => GroupStart.Length - 1;

    /// <summary>The mean of the per-group values of one quantity, with error sd / sqrt(groups).</summary>
    public (double Estimate, double Error) Combine(ReadOnlySpan<double> perGroup)
    {
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
