using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The reduced two-layer propagator from one group's <see cref="SiteMoments"/> (DESIGN.md 4.2):
/// <code>
///   N Cov(Delta) = Sigma = (I + D_f)^-1 kappa_ff (I + D_f)^-T
///   N Var(O_r)   = kappa_rr - 2 B_r . kappa_fr + B_r^T kappa_ff B_r,     B_r^T = (I + D_f)^-T D_O,r^T
/// </code>
/// with kappa the site covariances and D the sensitivities. I + D_f is unit lower-triangular in the time-major
/// column order (D_f is strictly causal), so every solve is a forward or back substitution; nothing is inverted.
/// The order parameters themselves are rows of the same form (B_f = D_f (I + D_f)^-1 = I - (I + D_f)^-1), so one
/// formula serves outputs, NTK entries, feature kernels and test predictions.
/// </summary>
internal sealed class Propagator
{
    private readonly ObservableLayout _layout;
    private readonly SiteMoments _moments;
    private readonly double[] _meanF;

    /// <summary><see cref="Sigma"/> in rows of stride <see cref="TriangularTiles.PaddedWidth"/>(C), for the row tiles.</summary>
    private readonly double[] _sigmaPadded;

    public Propagator(ObservableLayout layout, SiteMoments moments, bool dropFeedback = false)
    {
        _layout = layout;
        _moments = moments;
        int columns = layout.Columns;
        _meanF = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            _meanF[j] = moments.Mean[layout.RowOfColumn(j)];
        }

        // The moments hold <O_f,i O_f,j> for the steps of j up to that of i (SiteMoments.Cross); kappa_ff is symmetric.
        Kappa = new double[columns * columns];
        Sensitivity = new double[columns * columns];
        int[] through = layout.ColumnsThrough;
        for (int i = 0; i < columns; i++)
        {
            int row = layout.RowOfColumn(i);
            for (int j = 0; j < through[row]; j++)
            {
                Kappa[(i * columns) + j] = Kappa[(j * columns) + i] = moments.Cross[((long)row * columns) + j] - (moments.Mean[row] * _meanF[j]);
            }

            for (int j = 0; j < columns; j++)
            {
                Sensitivity[(i * columns) + j] = dropFeedback ? 0.0 : moments.Jacobian[((long)row * columns) + j];
            }
        }

        DropFeedback = dropFeedback;
        _sigmaPadded = SandwichPadded(Kappa);
        Sigma = TriangularTiles.Unpad(_sigmaPadded, columns, columns);
    }

    /// <summary>kappa_ff = Cov_site(O_f, O_f), C x C.</summary>
    public double[] Kappa { get; }

    /// <summary>D_f = d&lt;O_f&gt;/dDelta, C x C, strictly lower block-triangular (zero with <see cref="DropFeedback"/>).</summary>
    public double[] Sensitivity { get; }

    /// <summary>N Cov(Delta_a(m), Delta_b(m')) = N Cov(f, f), C x C, time-major.</summary>
    public double[] Sigma { get; }

    /// <summary>True for the kappa-only diagnostic (D set to zero), which DESIGN.md 4.1 shows to be badly wrong.</summary>
    public bool DropFeedback { get; }

    // (I + D_f)^-1 X (I + D_f)^-T for a symmetric C x C matrix X, in rows of stride TriangularTiles.PaddedWidth(C).
    private double[] SandwichPadded(double[] x)
    {
        int columns = _layout.Columns;
        double[] y = TriangularTiles.Pad(x, columns, columns);
        TriangularTiles.ForwardSolve(Sensitivity, columns, y, columns);
        TriangularTiles.TransposePadded(y, columns);
        TriangularTiles.ForwardSolve(Sensitivity, columns, y, columns);
        return y;
    }

    /// <summary>(I + D_f)^-1 v.</summary>
    public double[] SolveForward(ReadOnlySpan<double> v)
    {
        int columns = _layout.Columns;
        var x = v.ToArray();
        for (int i = 0; i < columns; i++)
        {
            x[i] -= SpanMath.Dot(Sensitivity.AsSpan(i * columns, i), x.AsSpan(0, i));
        }

        return x;
    }

    /// <summary>
    /// N Var of every observable row, R. Row r at step n depends on the order parameters of steps m &lt; n only
    /// (<see cref="ObservableLayout.CausalColumns"/>): its D_O,r and so B_r vanish past that limit, and the solve and
    /// the quadratic form run over the first limit entries, about a third of the work of full rows on average. Both run
    /// over all rows at once in register tiles (<see cref="TriangularTiles"/>), bit-identical on any number of cores.
    /// </summary>
    /// <param name="buffers">Work arrays to reuse from group to group (fresh ones when null).</param>
    public double[] RowVariances(RowVarianceBuffers? buffers = null)
    {
        int columns = _layout.Columns;
        int rows = _layout.Rows;
        int[] causal = _layout.CausalColumns;
        var variances = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            variances[r] = _moments.Second[r] - (_moments.Mean[r] * _moments.Mean[r]);
        }

        if (DropFeedback)
        {
            return variances;
        }

        // With Sigma = (I + D_f)^-1 kappa_ff (I + D_f)^-T the two terms need no solve per row:
        //   B_r . kappa_fr = D_O,r . [(I + D_f)^-1 kappa_fr],   B_r^T kappa_ff B_r = D_O,r^T Sigma D_O,r,
        // the first one forward solve with all rows' kappa_fr as columns, the second a product over row tiles.
        // kappa_fr = <O_r O_f> - <O_r><O_f> and D_O,r are needed over the row's causal columns only.
        // Reused: fresh arrays of this size cost more in page faults than the kernels take.
        int stride = TriangularTiles.PaddedWidth(rows);
        buffers ??= new RowVarianceBuffers();
        double[] crossColumns = buffers.CrossColumns(columns * stride);
        double[] response = buffers.Response(rows * columns);
        for (int block = 0; block < rows; block += TransposeBlock)
        {
            int blockEnd = Math.Min(rows, block + TransposeBlock);
            for (int i = 0; i < causal[blockEnd - 1]; i++)
            {
                for (int r = Math.Max(block, FirstRowWithMoreColumnsThan(causal, i, block)); r < blockEnd; r++)
                {
                    crossColumns[((long)i * stride) + r] = _moments.Cross[((long)r * columns) + i] - (_moments.Mean[r] * _meanF[i]);
                }
            }
        }

        for (int r = 0; r < rows; r++)
        {
            _moments.Jacobian.AsSpan(r * columns, causal[r]).CopyTo(response.AsSpan(r * columns));
        }

        TriangularTiles.ForwardSolve(Sensitivity, columns, crossColumns, rows, causal);
        double[] quadratic = TriangularTiles.RowQuadraticForms(response, rows, _sigmaPadded, columns, causal);

        // mixed_r = sum_i D_O,ri [(I + D_f)^-1 kappa_f.]_ir, a block of rows at a time along the columns' rows.
        var mixed = new double[rows];
        for (int block = 0; block < rows; block += TransposeBlock)
        {
            int blockEnd = Math.Min(rows, block + TransposeBlock);
            for (int i = 0; i < causal[blockEnd - 1]; i++)
            {
                for (int r = Math.Max(block, FirstRowWithMoreColumnsThan(causal, i, block)); r < blockEnd; r++)
                {
                    mixed[r] = Math.FusedMultiplyAdd(response[((long)r * columns) + i], crossColumns[((long)i * stride) + r], mixed[r]);
                }
            }
        }

        for (int r = 0; r < rows; r++)
        {
            variances[r] += quadratic[r] - (2.0 * mixed[r]);
        }

        return variances;
    }

    // Rows per block of the transposing loops: one cache line of the column-major side.
    private const int TransposeBlock = 8;

    // The first row r >= from with limits[r] > i (limits non-decreasing), or limits.Length.
    private static int FirstRowWithMoreColumnsThan(int[] limits, int i, int from)
    {
        int r = from;
        while (r < limits.Length && limits[r] <= i)
        {
            r++;
        }

        return r;
    }
}

/// <summary>
/// The work arrays of <see cref="Propagator.RowVariances"/> (R x C kappa_fr columns and D_O rows, 2 R C doubles),
/// kept by the caller from group to group and released with it; each request returns a zeroed array of at least the
/// requested length.
/// </summary>
internal sealed class RowVarianceBuffers
{
    private double[] _crossColumns = [];
    private double[] _response = [];

    public double[] CrossColumns(int length) => Zeroed(ref _crossColumns, length);

    public double[] Response(int length) => Zeroed(ref _response, length);

    private static double[] Zeroed(ref double[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new double[length];
        }
        else
        {
            buffer.AsSpan(0, length).Clear();
        }

        return buffer;
    }
}
