using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Results;
using FieldTheory.Theory;
using FieldTheory.Theory.Lazy;

namespace FieldTheory.Fluctuations.Lazy;

/// <summary>
/// The universal lazy form (DESIGN.md 4.4) for networks with two or more hidden layers: the frozen NTK K (the lazy
/// kernels of DESIGN.md 3.4) and its finite-width covariance at initialisation, kappa_K = N Cov(K_ab, K_cd), fed to
/// <see cref="LazyFluctuations.Discrete"/>. kappa_K comes from the deep propagators (DESIGN.md 4.5) at n = 0 over all Q
/// points, where no training has happened yet, so the targets, eta and gamma0 do not enter (their Sigma at n = 0
/// includes the cross-layer terms that the response coupling J gives): exactly from the deep linear one for phi(h) = h,
/// sampled from the deep nonlinear one for smooth phi, whose replicas give the error. The form is for centered outputs:
/// uncentered ones add the initial output's variance Phi^L / gamma0^2, which the lazy limit gamma0 -> 0 sends to
/// infinity.
/// </summary>
internal static class DeepLazyFluctuations
{
    /// <summary>What keeps this form from <paramref name="experiment"/>, or null when it applies.</summary>
    public static string? CoverageGap(Experiment experiment, NetworkModel model, Dataset data)
    {
        const string Form = "the universal lazy form (DESIGN.md 4.4)";
        if (!experiment.Centered)
        {
            return $"{Form} is for centered outputs (uncentered ones add N Var f(0) = Phi^L / gamma0^2, which diverges as gamma0 -> 0); set \"centered\": true";
        }

        if (TheoryRunner.IsIdentity(model))
        {
            return null;
        }

        if (DeepNonlinearFluctuations.CoverageGap(model, data) is { } gap)
        {
            return $"{Form} needs N Cov of the initial NTK, and {gap}";
        }

        int points = data.Count + data.TestCount;
        return points <= DeepNonlinearFluctuations.MaxPositions
            ? null
            : $"{Form} needs N Cov of the initial NTK over all {points} points, and the deep nonlinear propagator samples at most {DeepNonlinearFluctuations.MaxPositions}";
    }

    /// <summary>
    /// N Var of Delta, f, the NTK entries (constant in the lazy limit), the loss and the test outputs, with their
    /// sampling error (null for deep linear networks: exact).
    /// </summary>
    /// <param name="experiment">A centered experiment (see <see cref="CoverageGap"/>).</param>
    /// <param name="model">The model.</param>
    /// <param name="data">The data.</param>
    /// <param name="kernels">The lazy kernels over all Q points (their NTK is K).</param>
    /// <param name="ct">Cancels the propagators.</param>
    public static (Series Nvar, Series? Error) Compute(Experiment experiment, NetworkModel model, Dataset data, LazyKernels kernels, CancellationToken ct)
    {
        int p = data.Count;
        int q = p + data.TestCount;
        var kernel = new double[q * p];
        for (int a = 0; a < q; a++)
        {
            for (int b = 0; b < p; b++)
            {
                kernel[(a * p) + b] = kernels.Ntk[(a * q) + b];
            }
        }

        Series Form(double[] kappa) =>
            ToNvarSeries(LazyFluctuations.Discrete(kernel, kappa, p, data.Y, experiment.Eta, experiment.Steps), kappa, p);

        if (TheoryRunner.IsIdentity(model))
        {
            return (Form(InitialNtkCovariance(model.HiddenLayers, data.InputGram(), q, p, ct)), null);
        }

        List<double[]> replicas = DeepNonlinearFluctuations.InitialNtkCovariances(model, data.InputGram(), q, p, experiment.Theory!, ct);
        (Series mean, Series error) = DeepNonlinearFluctuations.MeanAndError([.. replicas.Select(Form)]);
        return (mean, error);
    }

    /// <summary>
    /// kappa_K over the entries (a, b), a over the Q points and b over the P training points, index a P + b, of a deep
    /// linear network: its propagator with every point treated as a training point and no steps.
    /// </summary>
    internal static double[] InitialNtkCovariance(int layers, double[] gram, int points, int train, CancellationToken ct)
    {
        DeepLinearFluctuations initial = DeepLinearPropagator.Compute(layers, gram, new double[points], gamma0: 1.0, eta: 1.0, steps: 0, centered: true, ct: ct);
        int entries = points * train;
        var kappa = new double[entries * entries];
        for (int i = 0; i < entries; i++)
        {
            for (int j = 0; j < entries; j++)
            {
                kappa[(i * entries) + j] = initial.NtkCovariance(0, i / train, i % train, 0, j / train, j % train);
            }
        }

        return kappa;
    }

    private static Series ToNvarSeries(LazyFluctuationResult result, double[] kappa, int p)
    {
        int t1 = result.Delta.Length;
        int entries = (int)Math.Round(Math.Sqrt(kappa.Length));
        int columns = t1 * p;
        var ntk = new double[t1][][];
        var loss = new double[t1];
        for (int n = 0; n < t1; n++)
        {
            ntk[n] = new double[p][];
            for (int a = 0; a < p; a++)
            {
                ntk[n][a] = new double[p];
                for (int b = 0; b < p; b++)
                {
                    int entry = (a * p) + b;
                    ntk[n][a][b] = kappa[(entry * entries) + entry];
                }
            }

            // N Var L(n) = Delta(n)^T Sigma_Delta(n, n) Delta(n) for L = 1/2 |Delta|^2 (DESIGN.md 4.3).
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    loss[n] += result.Delta[n][a] * result.CovDelta[(((n * p) + a) * columns) + (n * p) + b] * result.Delta[n][b];
                }
            }
        }

        return new Series(result.NvarDelta, result.NvarDelta, ntk, loss, result.NvarTestF);
    }
}
