using FieldTheory.Randomness;

namespace FieldTheory.Theory.Online;

/// <summary>
/// The delta method on the empirical measure of N i.i.d. sites (DESIGN.md 3.5): a width-N network is the site
/// measure with weights p + u / sqrt N, u ~ N(0, diag p - p p^T), so C = N (E L_N - L_inf) = 1/2 E_u L''(p)[u, u].
/// Each random direction u = sqrt(p) o z - p (sqrt(p) . z) (z Rademacher, which has that covariance and sum u = 0)
/// gives 1/2 u^T L'' u from the symmetric second difference [L(p + eps u) + L(p - eps u) - 2 L(p)] / (2 eps^2) of the
/// whole trajectory's population loss, with the same sites for all three runs (common random numbers).
/// The quadratic form at n = 0 is a control variate with an exactly known mean (<see cref="IOnlineIntegrator.InitialCorrection"/>):
/// at each n the estimate is mean_k Q_k(n) - beta(n) (mean_k Q_k(0) - C(0)), beta(n) the regression slope over the
/// directions, which removes most of the direction-sampling noise while the initial fluctuation dominates.
/// </summary>
internal static class OnlineBias
{
    /// <summary>Size of the weight perturbation: eps = <see cref="Perturbation"/> / ||u||_1.</summary>
    public const double Perturbation = 1e-3;

    /// <summary>Stream purpose of the directions' signs.</summary>
    private const int DirectionPurpose = 11;

    /// <summary>C(n) and its standard error over <paramref name="directions"/> random directions (at least 3).</summary>
    public static OnlineCorrection Estimate(
        IOnlineIntegrator integrator,
        OnlineProblem problem,
        double[] nodes,
        double[] weights,
        int directions,
        ulong seed,
        double[] baseLoss,
        IProgress<double>? progress,
        CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(directions, 3);
        OnlineProblem lossOnly = problem with { TestX = null, RecordBatches = false };
        int steps = problem.Steps;
        var samples = new double[directions][];
        int done = 0;
        var random = new RandomStream(seed);
        Parallel.For(0, directions, new ParallelOptions { CancellationToken = ct }, k =>
        {
            double[] u = Direction(weights, random, k);
            double eps = Perturbation / u.Sum(Math.Abs);
            double[] plus = [.. weights.Select((p, i) => p + (eps * u[i]))];
            double[] minus = [.. weights.Select((p, i) => p - (eps * u[i]))];
            double[] up = integrator.Run(lossOnly, nodes, plus, parallel: false, null, ct).PopulationLoss;
            double[] down = integrator.Run(lossOnly, nodes, minus, parallel: false, null, ct).PopulationLoss;
            samples[k] = [.. Enumerable.Range(0, steps + 1).Select(n => (up[n] + down[n] - (2 * baseLoss[n])) / (2 * eps * eps))];
            progress?.Report(Interlocked.Increment(ref done) / (double)directions);
        });

        double exact = integrator.InitialCorrection(problem, nodes, weights);
        double[] control = [.. samples.Select(q => q[0])];
        double controlMean = control.Average();
        double controlVariance = control.Sum(v => (v - controlMean) * (v - controlMean));
        var c = new double[steps + 1];
        var se = new double[steps + 1];
        for (int n = 0; n <= steps; n++)
        {
            double mean = samples.Average(q => q[n]);
            double covariance = samples.Select((q, k) => (q[n] - mean) * (control[k] - controlMean)).Sum();
            double beta = controlVariance > 0 ? covariance / controlVariance : 0.0;
            double residuals = samples.Select((q, k) => q[n] - mean - (beta * (control[k] - controlMean))).Sum(r => r * r);
            c[n] = mean - (beta * (controlMean - exact));
            se[n] = directions > 2 ? Math.Sqrt(residuals / (directions - 2) / directions) : double.NaN;
        }

        return new OnlineCorrection(c, se, directions);
    }

    /// <summary>u = sqrt(p) o z - p (sqrt(p) . z) with Rademacher z: Cov(u) = diag p - p p^T for weights summing to 1.</summary>
    internal static double[] Direction(double[] weights, RandomStream random, int k)
    {
        ulong stream = StreamId.Of(k, 0, DirectionPurpose);
        var u = new double[weights.Length];
        double projection = 0.0;
        for (int i = 0; i < u.Length; i++)
        {
            double z = random.Uniform(stream, (ulong)i) < 0.5 ? -1.0 : 1.0;
            u[i] = Math.Sqrt(weights[i]) * z;
            projection += u[i];
        }

        for (int i = 0; i < u.Length; i++)
        {
            u[i] -= weights[i] * projection;
        }

        return u;
    }
}
