using System.Numerics;
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
        Sigma = Sandwich(Kappa);
    }

    /// <summary>kappa_ff = Cov_site(O_f, O_f), C x C.</summary>
    public double[] Kappa { get; }

    /// <summary>D_f = d&lt;O_f&gt;/dDelta, C x C, strictly lower block-triangular (zero with <see cref="DropFeedback"/>).</summary>
    public double[] Sensitivity { get; }

    /// <summary>N Cov(Delta_a(m), Delta_b(m')) = N Cov(f, f), C x C, time-major.</summary>
    public double[] Sigma { get; }

    /// <summary>True for the kappa-only diagnostic (D set to zero), which DESIGN.md 4.1 shows to be badly wrong.</summary>
    public bool DropFeedback { get; }

    /// <summary>(I + D_f)^-1 X (I + D_f)^-T for a symmetric C x C matrix X.</summary>
    public double[] Sandwich(double[] x)
    {
        int columns = _layout.Columns;
        var y = (double[])x.Clone();
        SolveLowerInPlace(y, columns);
        Transpose(y, columns);
        SolveLowerInPlace(y, columns);
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

    /// <summary>(I + D_f)^-T v.</summary>
    public double[] SolveTransposed(ReadOnlySpan<double> v)
    {
        var x = v.ToArray();
        SolveTransposedInPlace(x);
        return x;
    }

    // x <- (I + D_f)^-T x over the leading x.Length entries (the rest of x is zero: (I + D_f)^-T is upper triangular,
    // so they stay zero).
    private void SolveTransposedInPlace(Span<double> x)
    {
        int columns = _layout.Columns;
        for (int i = x.Length - 1; i >= 0; i--)
        {
            SpanMath.Axpy(-x[i], Sensitivity.AsSpan(i * columns, i), x[..i]);
        }
    }

    /// <summary>B_r = D_O,r (I + D_f)^-1 for observable row r (zero with <see cref="DropFeedback"/>).</summary>
    public double[] Response(int row)
    {
        int columns = _layout.Columns;
        return DropFeedback ? new double[columns] : SolveTransposed(_moments.Jacobian.AsSpan(row * columns, columns));
    }

    /// <summary>
    /// N Var of every observable row, R (rows in parallel: each is independent of the others). Row r at step n depends
    /// on the order parameters of steps m &lt; n only (<see cref="ObservableLayout.CausalColumns"/>): its D_O,r and so
    /// B_r vanish past that limit, and the solve and the quadratic form run over the first limit entries, about a third
    /// of the work of full rows on average.
    /// </summary>
    public double[] RowVariances()
    {
        int columns = _layout.Columns;
        int[] causal = _layout.CausalColumns;
        var variances = new double[_layout.Rows];
        Parallel.For(0, _layout.Rows, () => new double[columns], (r, _, buffer) =>
        {
            double mean = _moments.Mean[r];
            double variance = _moments.Second[r] - (mean * mean);
            int live = DropFeedback ? 0 : causal[r];

            // B_r (Response) in a buffer per worker rather than one array per row.
            Span<double> b = buffer.AsSpan(0, live);
            _moments.Jacobian.AsSpan(r * columns, live).CopyTo(b);
            SolveTransposedInPlace(b);
            ReadOnlySpan<double> cross = _moments.Cross.AsSpan(r * columns, live);

            // kappa_fr = <O_r O_f> - <O_r><O_f>.
            double mixed = SpanMath.Dot(b, cross) - (mean * SpanMath.Dot(b, _meanF.AsSpan(0, live)));
            double quadratic = 0.0;
            for (int i = 0; i < live; i++)
            {
                if (b[i] != 0.0)
                {
                    quadratic += b[i] * SpanMath.Dot(Kappa.AsSpan(i * columns, live), b);
                }
            }

            variances[r] = variance - (2.0 * mixed) + quadratic;
            return buffer;
        },
        _ => { });

        return variances;
    }

    // Y <- (I + D_f)^-1 Y for a C x C row-major Y by forward substitution, in parallel over blocks of columns (the
    // columns of Y are independent). Each entry subtracts D_ij Y_j in ascending j with one fused multiply-add each, so
    // every entry is computed the same way whatever the split; four vectors of a row's block stay in registers while j
    // runs.
    private void SolveLowerInPlace(double[] y, int columns)
    {
        const int BlockColumns = 64;
        int blocks = (columns + BlockColumns - 1) / BlockColumns;
        Parallel.For(0, blocks, block =>
        {
            int from = block * BlockColumns;
            int to = Math.Min(columns, from + BlockColumns);
            for (int i = 1; i < columns; i++)
            {
                ReadOnlySpan<double> d = Sensitivity.AsSpan(i * columns, i);
                SubtractCombination(y, columns, i, from, to, d);
            }
        });
    }

    // y[i, from..to) -= sum_{j < i} d[j] y[j, from..to), j ascending.
    private static void SubtractCombination(double[] y, int columns, int i, int from, int to, ReadOnlySpan<double> d)
    {
        int width = Vector<double>.Count;
        ref double start = ref MemoryMarshal.GetArrayDataReference(y);
        nuint row = (nuint)i * (nuint)columns;
        int k = from;
        for (; k + (4 * width) <= to; k += 4 * width)
        {
            nuint at = row + (nuint)k;
            Vector<double> s0 = Vector.LoadUnsafe(ref start, at);
            Vector<double> s1 = Vector.LoadUnsafe(ref start, at + (nuint)width);
            Vector<double> s2 = Vector.LoadUnsafe(ref start, at + (nuint)(2 * width));
            Vector<double> s3 = Vector.LoadUnsafe(ref start, at + (nuint)(3 * width));
            for (int j = 0; j < d.Length; j++)
            {
                var minus = new Vector<double>(-d[j]);
                nuint source = ((nuint)j * (nuint)columns) + (nuint)k;
                s0 = Vector.FusedMultiplyAdd(minus, Vector.LoadUnsafe(ref start, source), s0);
                s1 = Vector.FusedMultiplyAdd(minus, Vector.LoadUnsafe(ref start, source + (nuint)width), s1);
                s2 = Vector.FusedMultiplyAdd(minus, Vector.LoadUnsafe(ref start, source + (nuint)(2 * width)), s2);
                s3 = Vector.FusedMultiplyAdd(minus, Vector.LoadUnsafe(ref start, source + (nuint)(3 * width)), s3);
            }

            s0.StoreUnsafe(ref start, at);
            s1.StoreUnsafe(ref start, at + (nuint)width);
            s2.StoreUnsafe(ref start, at + (nuint)(2 * width));
            s3.StoreUnsafe(ref start, at + (nuint)(3 * width));
        }

        for (; k < to; k++)
        {
            double sum = y[(long)row + k];
            for (int j = 0; j < d.Length; j++)
            {
                sum = Math.FusedMultiplyAdd(-d[j], y[((long)j * columns) + k], sum);
            }

            y[(long)row + k] = sum;
        }
    }

    private static void Transpose(double[] y, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                (y[(i * n) + j], y[(j * n) + i]) = (y[(j * n) + i], y[(i * n) + j]);
            }
        }
    }
}
