using FieldTheory.Results;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>Arranges per-row values of the <see cref="ObservableLayout"/> as a <see cref="Series"/>.</summary>
internal static class FluctuationSeries
{
    /// <summary>
    /// Means (<paramref name="mean"/> true: loss 1/2 |Delta|^2) or N Var (loss Delta^T Sigma(n, n) Delta, which needs
    /// <paramref name="sigma"/>); f and Delta share the same N Var.
    /// </summary>
    public static Series Build(ObservableLayout layout, double[] delta, double[] rows, TwoLayerProblem problem, bool mean, double[]? sigma = null)
    {
        int p = layout.Train;
        int t1 = layout.Steps + 1;
        var f = new double[t1][];
        var d = new double[t1][];
        var loss = new double[t1];
        for (int n = 0; n < t1; n++)
        {
            f[n] = new double[p];
            d[n] = new double[p];
            for (int a = 0; a < p; a++)
            {
                f[n][a] = rows[layout.Row(n, a)];
                d[n][a] = mean ? delta[(n * p) + a] : f[n][a];
            }

            loss[n] = mean ? 0.5 * d[n].Sum(x => x * x) : Quadratic(layout, sigma!, delta, n, n);
        }

        return Assemble(layout, rows, problem, f, d, loss);
    }

    /// <summary>
    /// The O(1/N) mean shift from N E[delta O_r] per row (DESIGN.md 4.3): Delta's is minus f's, and the loss's is
    /// Delta_inf . b + 1/2 Tr Sigma_Delta(n, n).
    /// </summary>
    public static Series BuildShift(ObservableLayout layout, double[] delta, double[] rows, double[] sigma, TwoLayerProblem problem)
    {
        int p = layout.Train;
        int t1 = layout.Steps + 1;
        int columns = layout.Columns;
        var f = new double[t1][];
        var d = new double[t1][];
        var loss = new double[t1];
        for (int n = 0; n < t1; n++)
        {
            f[n] = new double[p];
            d[n] = new double[p];
            double trace = 0.0;
            double drift = 0.0;
            for (int a = 0; a < p; a++)
            {
                f[n][a] = rows[layout.Row(n, a)];
                d[n][a] = -f[n][a];
                int j = layout.Column(n, a);
                trace += sigma[(j * columns) + j];
                drift += delta[(n * p) + a] * d[n][a];
            }

            loss[n] = drift + (0.5 * trace);
        }

        return Assemble(layout, rows, problem, f, d, loss);
    }

    /// <summary>The infinite-width f = y - Delta, Delta and the loss of the group's trajectory (kernels NaN: not tracked).</summary>
    public static Series MeanOfDelta(ObservableLayout layout, double[] delta, TwoLayerProblem problem)
    {
        int p = layout.Train;
        int t1 = layout.Steps + 1;
        var d = new double[t1][];
        var f = new double[t1][];
        var loss = new double[t1];
        for (int n = 0; n < t1; n++)
        {
            d[n] = delta.AsSpan(n * p, p).ToArray();
            f[n] = [.. d[n].Select((x, a) => problem.Targets[a] - x)];
            loss[n] = 0.5 * d[n].Sum(x => x * x);
        }

        return NaNKernels(layout, f, d, loss, testF: problem.Test > 0 ? [.. Enumerable.Range(0, t1).Select(_ => Enumerable.Repeat(double.NaN, problem.Test).ToArray())] : null);
    }

    /// <summary>
    /// N Var from <see cref="AdjointVariance"/> ([n][Q + 1], null at steps not chosen) as a series: outputs, test
    /// outputs and the loss at the chosen steps, NaN elsewhere and for the kernels.
    /// </summary>
    public static Series AtChosenSteps(ObservableLayout layout, double[][] variances, TwoLayerProblem problem)
    {
        int p = layout.Train;
        int q = layout.Points;
        int t1 = layout.Steps + 1;
        var f = new double[t1][];
        var loss = new double[t1];
        double[][]? testF = problem.Test > 0 ? new double[t1][] : null;
        for (int n = 0; n < t1; n++)
        {
            double[] row = variances[n] ?? [.. Enumerable.Repeat(double.NaN, q + 1)];
            f[n] = row.AsSpan(0, p).ToArray();
            loss[n] = row[q];
            if (testF is not null)
            {
                testF[n] = row.AsSpan(p, q - p).ToArray();
            }
        }

        return NaNKernels(layout, f, [.. f.Select(r => (double[])r.Clone())], loss, testF);
    }

    private static Series NaNKernels(ObservableLayout layout, double[][] f, double[][] d, double[] loss, double[][]? testF)
    {
        int t1 = layout.Steps + 1;
        double[][][] ntk = [.. Enumerable.Range(0, t1).Select(_ => NotTracked(layout.Train))];
        double[][][] feature = [.. Enumerable.Range(0, t1).Select(_ => NotTracked(layout.Train))];
        return new Series(f, d, ntk, loss, testF, [feature]);
    }

    // u^T Sigma(n, m) v with u = Delta(n), v = Delta(m).
    private static double Quadratic(ObservableLayout layout, double[] sigma, double[] delta, int n, int m)
    {
        int p = layout.Train;
        int columns = layout.Columns;
        double sum = 0.0;
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                sum += delta[(n * p) + a] * sigma[(layout.Column(n, a) * columns) + layout.Column(m, b)] * delta[(m * p) + b];
            }
        }

        return sum;
    }

    private static Series Assemble(ObservableLayout layout, double[] rows, TwoLayerProblem problem, double[][] f, double[][] d, double[] loss)
    {
        int p = layout.Train;
        int t1 = layout.Steps + 1;
        var ntk = new double[t1][][];
        var feature = new double[t1][][];
        for (int n = 0; n < t1; n++)
        {
            // Between kernel steps (theory.kernelFluctuationsEvery > 1) the kernels were not tracked: NaN, never a guess.
            bool tracked = layout.HasKernels(n);
            ntk[n] = tracked ? Symmetric(layout, rows, layout.Row(n, layout.NtkOffset), p) : NotTracked(p);
            feature[n] = tracked ? Symmetric(layout, rows, layout.Row(n, layout.FeatureOffset), p) : NotTracked(p);
        }

        double[][]? testF = null;
        if (problem.Test > 0)
        {
            testF = new double[t1][];
            for (int n = 0; n < t1; n++)
            {
                testF[n] = rows.AsSpan(layout.Row(n, p), problem.Test).ToArray();
            }
        }

        return new Series(f, d, ntk, loss, testF, [feature]);
    }

    private static double[][] NotTracked(int p) => [.. Enumerable.Range(0, p).Select(_ => Enumerable.Repeat(double.NaN, p).ToArray())];

    private static double[][] Symmetric(ObservableLayout layout, double[] rows, int start, int p)
    {
        var m = new double[p][];
        for (int mu = 0; mu < p; mu++)
        {
            m[mu] = new double[p];
        }

        for (int k = 0; k < layout.Pairs; k++)
        {
            int mu = layout.PairFirst[k];
            int nu = layout.PairSecond[k];
            m[mu][nu] = m[nu][mu] = rows[start + k];
        }

        return m;
    }
}
