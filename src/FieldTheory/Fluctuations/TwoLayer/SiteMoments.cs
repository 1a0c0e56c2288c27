namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Weighted site sums over one group (weights summing to 1, so sums are site averages) for the layout's R observable
/// rows and C order-parameter columns (DESIGN.md 4.1, 4.2): &lt;O_r&gt;, &lt;O_r^2&gt;, &lt;O_r O_f,j&gt; and the
/// sensitivity d&lt;O_r&gt;/dDelta_j.
/// </summary>
internal sealed class SiteMoments
{
    public SiteMoments(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
        Mean = new double[rows];
        Second = new double[rows];
        Cross = new double[(long)rows * columns];
        Jacobian = new double[(long)rows * columns];
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>&lt;O_r&gt;.</summary>
    public double[] Mean { get; }

    /// <summary>&lt;O_r^2&gt;.</summary>
    public double[] Second { get; }

    /// <summary>&lt;O_r O_f,j&gt;, R x C, for the columns j of steps up to row r's (<see cref="ObservableLayout.ColumnsThrough"/>; zero after).</summary>
    public double[] Cross { get; }

    /// <summary>d&lt;O_r&gt;/dDelta_j, R x C (zero unless j is strictly earlier than r).</summary>
    public double[] Jacobian { get; }

    /// <summary>Blocks of sites whose sensitivities were summed in factored form (<see cref="SiteBlock{TLanes}"/>).</summary>
    public long FactoredBlocks { get; set; }

    /// <summary>Blocks of sites whose sensitivities were summed by replaying their tangents.</summary>
    public long ReplayedBlocks { get; set; }

    /// <summary>Sets every sum to zero (for reuse by the next group).</summary>
    public SiteMoments Clear()
    {
        FactoredBlocks = 0;
        ReplayedBlocks = 0;
        Array.Clear(Mean);
        Array.Clear(Second);
        Array.Clear(Cross);
        Array.Clear(Jacobian);
        return this;
    }

    /// <summary>Adds another accumulator's sums into this one.</summary>
    public void Add(SiteMoments other)
    {
        FactoredBlocks += other.FactoredBlocks;
        ReplayedBlocks += other.ReplayedBlocks;
        AddInto(Mean, other.Mean);
        AddInto(Second, other.Second);
        AddInto(Cross, other.Cross);
        AddInto(Jacobian, other.Jacobian);
    }

    private static void AddInto(double[] target, double[] source)
    {
        for (long k = 0; k < target.LongLength; k++)
        {
            target[k] += source[k];
        }
    }
}
