using FieldTheory.Results;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// The per-group trajectories of the two-layer solver (f on every point, Delta, Phi^1, G^1 and optionally their
/// two-time versions), turned into Delta for the next step as they arrive and combined into one estimate with an
/// error at the end.
/// </summary>
internal sealed class GroupRecord
{
    private readonly int _groups;
    private readonly int _t1;
    private readonly int _q;
    private readonly int _n;
    private readonly double[][] _f;
    private readonly double[][] _initialF;
    private readonly double[][] _delta;
    private readonly double[][] _phi;
    private readonly double[][] _grad;
    private readonly double[][]? _twoTime;

    /// <summary>Storage for <paramref name="groups"/> trajectories of T + 1 = <paramref name="t1"/> steps.</summary>
    public GroupRecord(int groups, int t1, int points, int train, bool twoTime)
    {
        _groups = groups;
        _t1 = t1;
        _q = points;
        _n = train;
        _f = Jagged(groups, t1 * points);
        _initialF = Jagged(groups, points);
        _delta = Jagged(groups, t1 * train);
        _phi = Jagged(groups, t1 * train * train);
        _grad = Jagged(groups, t1 * train * train);
        _twoTime = twoTime ? Jagged(groups, t1 * t1 * 2 * train * train) : null;
    }

    /// <summary>Delta_a(n) of every group, [(T + 1) P] each (time-major), as recorded so far.</summary>
    public double[][] Deltas => _delta;

    /// <summary>
    /// Records a group's site averages at <paramref name="step"/> (sums: sum w phi(h_mu) over Q points, then
    /// Phi^1 and w^2 phi' phi' over training pairs) and writes its Delta(step) into <paramref name="deltaOut"/>.
    /// Centered runs subtract the group's own f(0), so their f starts at exactly 0.
    /// </summary>
    public void Observe(int g, int step, ReadOnlySpan<double> sums, TwoLayerProblem problem, Span<double> deltaOut)
    {
        int pairs = _n * _n;
        for (int mu = 0; mu < _q; mu++)
        {
            double f = sums[mu] / problem.Gamma0;
            if (step == 0)
            {
                _initialF[g][mu] = f;
            }

            _f[g][(step * _q) + mu] = problem.Centered ? f - _initialF[g][mu] : f;
        }

        for (int a = 0; a < _n; a++)
        {
            double value = problem.Targets[a] - _f[g][(step * _q) + a];
            _delta[g][(step * _n) + a] = value;
            deltaOut[a] = value;
        }

        sums.Slice(_q, pairs).CopyTo(_phi[g].AsSpan(step * pairs, pairs));
        sums.Slice(_q + pairs, pairs).CopyTo(_grad[g].AsSpan(step * pairs, pairs));
    }

    /// <summary>
    /// Records row n = <paramref name="step"/> of the two-time kernels from the per-group sums laid out
    /// [group][m][Phi | G][mu][nu] (each group's row <paramref name="rowLength"/> long), and its transpose into column n.
    /// </summary>
    public void ObserveTwoTime(int step, double[] sums, int rowLength)
    {
        for (int g = 0; g < _groups; g++)
        {
            ObserveTwoTime(g, step, sums.AsSpan(g * rowLength, rowLength));
        }
    }

    /// <summary>Row n = <paramref name="step"/> of group <paramref name="g"/>'s two-time kernels from its sums [m][Phi | G][mu][nu], and its transpose into column n.</summary>
    public void ObserveTwoTime(int g, int step, ReadOnlySpan<double> sums)
    {
        int pairs = _n * _n;
        for (int m = 0; m <= step; m++)
        {
            for (int kind = 0; kind < 2; kind++)
            {
                for (int mu = 0; mu < _n; mu++)
                {
                    for (int nu = 0; nu < _n; nu++)
                    {
                        double value = sums[(((m * 2) + kind) * pairs) + (mu * _n) + nu];
                        _twoTime![g][TwoTimeIndex(kind, step, m, mu, nu)] = value;
                        _twoTime[g][TwoTimeIndex(kind, m, step, nu, mu)] = value;
                    }
                }
            }
        }
    }

    /// <summary>Combines the groups into the estimate and error of every series (DESIGN.md 3.1 definitions).</summary>
    public (Series Mean, Series Error, TwoTimeKernels? Kernels) Combine(SiteRule rule, TwoLayerProblem problem)
    {
        int pairs = _n * _n;
        int test = _q - _n;
        var ntk = new double[_groups][];
        var loss = new double[_groups][];
        for (int g = 0; g < _groups; g++)
        {
            ntk[g] = new double[_t1 * pairs];
            loss[g] = new double[_t1];
            for (int step = 0; step < _t1; step++)
            {
                for (int mu = 0; mu < _n; mu++)
                {
                    for (int nu = 0; nu < _n; nu++)
                    {
                        int index = (step * pairs) + (mu * _n) + nu;
                        ntk[g][index] = _phi[g][index] + (problem.InputGram[(mu * _q) + nu] * _grad[g][index]);
                    }

                    double d = _delta[g][(step * _n) + mu];
                    loss[g][step] += 0.5 * d * d;
                }
            }
        }

        (double[] f, double[] fError) = CombineGroups(rule, _f);
        (double[] delta, double[] deltaError) = CombineGroups(rule, _delta);
        (double[] k, double[] kError) = CombineGroups(rule, ntk);
        (double[] phi, double[] phiError) = CombineGroups(rule, _phi);
        (double[] grad, double[] gradError) = CombineGroups(rule, _grad);
        (_, double[] lossError) = CombineGroups(rule, loss);
        var lossEstimate = new double[_t1];
        for (int step = 0; step < _t1; step++)
        {
            for (int a = 0; a < _n; a++)
            {
                double d = delta[(step * _n) + a];
                lossEstimate[step] += 0.5 * d * d;
            }
        }

        Series Build(double[] fs, double[] ds, double[] ks, double[] ls, double[] ps, double[] gs) => new(
            Rows(fs, _t1, _q, 0, _n),
            Rows(ds, _t1, _n, 0, _n),
            Matrices(ks, _t1, _n),
            ls,
            test > 0 ? Rows(fs, _t1, _q, _n, test) : null,
            [Matrices(ps, _t1, _n)],
            [Matrices(gs, _t1, _n)]);

        TwoTimeKernels? kernels = null;
        if (_twoTime is not null)
        {
            (double[] twoTime, _) = CombineGroups(rule, _twoTime);
            kernels = new TwoTimeKernels([TwoTime(twoTime, 0)], [TwoTime(twoTime, 1)]);
        }

        return (Build(f, delta, k, lossEstimate, phi, grad), Build(fError, deltaError, kError, lossError, phiError, gradError), kernels);
    }

    private int TwoTimeIndex(int kind, int n, int m, int mu, int nu) =>
        (((((kind * _t1) + n) * _t1) + m) * _n * _n) + (mu * _n) + nu;

    private double[][][][] TwoTime(double[] values, int kind)
    {
        var result = new double[_t1][][][];
        for (int n = 0; n < _t1; n++)
        {
            result[n] = new double[_t1][][];
            for (int m = 0; m < _t1; m++)
            {
                result[n][m] = new double[_n][];
                for (int mu = 0; mu < _n; mu++)
                {
                    result[n][m][mu] = values.AsSpan(TwoTimeIndex(kind, n, m, mu, 0), _n).ToArray();
                }
            }
        }

        return result;
    }

    private static (double[] Estimate, double[] Error) CombineGroups(SiteRule rule, double[][] perGroup)
    {
        int length = perGroup[0].Length;
        var estimate = new double[length];
        var error = new double[length];
        var values = new double[perGroup.Length];
        for (int k = 0; k < length; k++)
        {
            for (int g = 0; g < perGroup.Length; g++)
            {
                values[g] = perGroup[g][k];
            }

            (estimate[k], error[k]) = rule.Combine(values);
        }

        return (estimate, error);
    }

    private static double[][] Rows(double[] values, int rows, int rowLength, int offset, int count)
    {
        var result = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            result[r] = values.AsSpan((r * rowLength) + offset, count).ToArray();
        }

        return result;
    }

    private static double[][][] Matrices(double[] values, int count, int n)
    {
        var result = new double[count][][];
        for (int k = 0; k < count; k++)
        {
            result[k] = Rows(values, n, n, k * n * n, n);
        }

        return result;
    }

    private static double[][] Jagged(int rows, int length)
    {
        var result = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            result[r] = new double[length];
        }

        return result;
    }
}
