using System.Diagnostics;
using FieldTheory.Experiments;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// The finite-width propagator of deep linear networks (DESIGN.md 4.5): N Cov(q) = Sigma = Sigma0 (I - J Sigma0)^-1 with
/// Sigma0 = (I - D)^-1 kappa (I - D)^-T, over q = (H^l(a &lt;= b), G^l(a &lt;= b), Q^l(n, m), P^l(n, m), f(n)).
/// </summary>
/// <remarks>
/// With S = P (T + 1) the dimension is dim q = L S (S + 1) + 2 (L - 1) S^2 + S (about 4 L S^2 - 2 S^2). Everything is
/// dense: peak memory 24 dim^2 bytes (three dim x dim matrices: I - D and then I - Sigma0 J, kappa turned into Sigma0,
/// and Sigma); time about 7 dim^3 flops for the factorisations and solves plus about 70 L S^5 for the tangents of D,
/// i.e. O(L^3 T^6) at P = 1. Measured on one core: L = 2, T = 10 (dim 517) well under a second; T = 20 (dim 1827)
/// about 13 s. No inverse is formed: (I - D) and (I - J Sigma0)^T are LU-factorised and solved.
/// </remarks>
internal static class DeepLinearPropagator
{
    /// <summary>Problems whose <see cref="PeakMemoryBytes"/> exceeds this (1 GiB) are refused unless a larger limit is passed.</summary>
    public const long DefaultMemoryLimitBytes = 1L << 30;

    /// <summary>dim q for <paramref name="hiddenLayers"/> layers, <paramref name="trainCount"/> points and T steps.</summary>
    public static long Dimension(int hiddenLayers, int trainCount, int steps) =>
        OrderParameterLayout.DimensionOf(hiddenLayers, trainCount, steps);

    /// <summary>Peak memory of <see cref="Compute"/> in bytes: 24 dim^2.</summary>
    public static long PeakMemoryBytes(int hiddenLayers, int trainCount, int steps)
    {
        long dim = Dimension(hiddenLayers, trainCount, steps);
        return 24 * dim * dim;
    }

    /// <summary>
    /// Solves the saddle (<see cref="DeepLinearSolver"/>) and the propagator for an L-hidden-layer linear network trained
    /// on P points by full-batch gradient descent (DESIGN.md section 2 conventions; no test points).
    /// </summary>
    /// <param name="hiddenLayers">L &gt;= 1.</param>
    /// <param name="inputGram">K^x over the training points, row-major P x P.</param>
    /// <param name="y">Targets.</param>
    /// <param name="gamma0">Feature-learning strength.</param>
    /// <param name="eta">Learning rate.</param>
    /// <param name="steps">T.</param>
    /// <param name="centered">Fluctuations of the centered network f - f(0) instead of f.</param>
    /// <param name="predictionLayer">The layer l whose site observable h^l g^l / gamma0 represents f (any layer gives the same answer, DESIGN.md 4.5); default L.</param>
    /// <param name="responseCoupling">Include J. Only a diagnostic may switch it off: without J cross-layer covariances are wrong (DESIGN.md 4.5).</param>
    /// <param name="memoryLimitBytes">Refuse problems whose <see cref="PeakMemoryBytes"/> exceeds this.</param>
    /// <param name="ct">Cancellation, checked between phases.</param>
    /// <exception cref="ExperimentException">The problem does not fit in <paramref name="memoryLimitBytes"/>.</exception>
    public static DeepLinearFluctuations Compute(
        int hiddenLayers,
        double[] inputGram,
        double[] y,
        double gamma0,
        double eta,
        int steps,
        bool centered,
        int? predictionLayer = null,
        bool responseCoupling = true,
        long memoryLimitBytes = DefaultMemoryLimitBytes,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(y);
        int points = y.Length;
        long dim = Dimension(hiddenLayers, Math.Max(points, 1), Math.Max(steps, 0));
        long bytes = PeakMemoryBytes(hiddenLayers, Math.Max(points, 1), Math.Max(steps, 0));
        if (bytes > memoryLimitBytes || dim * dim > Array.MaxLength)
        {
            throw new ExperimentException(
                "theory.fluctuations",
                $"the deep linear propagator is dense over dim q = {dim} order parameters (L = {hiddenLayers}, P = {points}, T = {steps}) " +
                $"and needs {bytes / (1 << 20)} MiB, above the limit of {memoryLimitBytes / (1 << 20)} MiB; use fewer steps " +
                "(dim q grows as L (P T)^2, time as dim^3)");
        }

        int layer = predictionLayer ?? hiddenLayers;
        if (layer < 1 || layer > hiddenLayers)
        {
            throw new ArgumentOutOfRangeException(nameof(predictionLayer), layer, $"must be a hidden layer 1..{hiddenLayers}");
        }

        var clock = Stopwatch.StartNew();
        DeepTrajectory trajectory = DeepLinearSolver.Solve(hiddenLayers, inputGram, points, y, gamma0, eta, steps, centered, ct);
        var layout = new OrderParameterLayout(hiddenLayers, points, steps);
        var delta = new double[layout.Size];
        for (int i = 0; i < layout.Size; i++)
        {
            delta[i] = trajectory.Delta[i / points][i % points];
        }

        var saddle = DeepLinearSaddle.Build(hiddenLayers, points, steps, gamma0, eta, inputGram, delta);
        double mismatch = saddle.PredictionMismatch(trajectory);
        if (!(mismatch < 1e-9 * Math.Max(1, y.Max(Math.Abs))))
        {
            throw new InvalidOperationException($"the rebuilt saddle disagrees with the solver's f by {mismatch:G3}");
        }

        ct.ThrowIfCancellationRequested();
        var system = new PropagatorSystem(layout, saddle, gamma0, layer, centered);
        double[] sigma = Solve(layout, system.IdentityMinusSensitivity(), system.Kappa(), responseCoupling, ct, out double asymmetry);
        return new DeepLinearFluctuations(trajectory, inputGram, layout, sigma, layer, responseCoupling, asymmetry, clock.Elapsed);
    }

    /// <summary>
    /// Sigma = Sigma0 (I - J Sigma0)^-1 with Sigma0 = (I - D)^-1 kappa (I - D)^-T (DESIGN.md 4.5), by two solves with one
    /// factorisation of I - D and then Sigma^T = (I - Sigma0 J)^-1 Sigma0. Both inputs are dense dim x dim row-major and
    /// are overwritten (<paramref name="identityMinusD"/> by LU factors, <paramref name="kappa"/> by Sigma0).
    /// </summary>
    internal static double[] Solve(OrderParameterLayout layout, double[] identityMinusD, double[] kappa, bool responseCoupling, CancellationToken ct, out double asymmetry)
    {
        int dim = layout.Dimension;
        double[] matrix = identityMinusD;
        ct.ThrowIfCancellationRequested();
        var sensitivity = new DenseLu(matrix, dim);
        double[] sigma0 = kappa;
        sensitivity.Solve(sigma0, dim);
        TransposeInPlace(sigma0, dim);
        sensitivity.Solve(sigma0, dim);
        Symmetrize(sigma0, dim);
        ct.ThrowIfCancellationRequested();
        if (!responseCoupling)
        {
            asymmetry = 0;
            return sigma0;
        }

        int[] partner = ResponsePartners(layout);
        for (int i = 0; i < dim; i++)
        {
            long row = (long)i * dim;
            for (int k = 0; k < dim; k++)
            {
                matrix[row + k] = (i == k ? 1 : 0) - (partner[k] >= 0 ? sigma0[row + partner[k]] : 0);
            }
        }

        var coupling = new DenseLu(matrix, dim);
        double[] sigma = (double[])sigma0.Clone();
        coupling.Solve(sigma, dim);
        TransposeInPlace(sigma, dim);
        asymmetry = Symmetrize(sigma, dim);
        return sigma;
    }

    // J pairs Q^l(n, m) with P^{l+1}(n, m), entry 1, for every (n, m) (DESIGN.md 4.5).
    private static int[] ResponsePartners(OrderParameterLayout layout)
    {
        var partner = new int[layout.Dimension];
        Array.Fill(partner, -1);
        for (int l = 1; l < layout.Layers; l++)
        {
            for (int n = 0; n < layout.Size; n++)
            {
                for (int m = 0; m < layout.Size; m++)
                {
                    int q = layout.ResponseQ(l, n, m);
                    int p = layout.ResponseP(l + 1, n, m);
                    partner[q] = p;
                    partner[p] = q;
                }
            }
        }

        return partner;
    }

    private static void TransposeInPlace(double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                (a[(long)i * n + j], a[(long)j * n + i]) = (a[(long)j * n + i], a[(long)i * n + j]);
            }
        }
    }

    // Replaces a by (a + a^T) / 2 and returns max |a - a^T| / max |a|.
    private static double Symmetrize(double[] a, int n)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double x = a[(long)i * n + j], z = a[(long)j * n + i];
                worst = Math.Max(worst, Math.Abs(x - z));
                scale = Math.Max(scale, Math.Max(Math.Abs(x), Math.Abs(z)));
                a[(long)i * n + j] = a[(long)j * n + i] = 0.5 * (x + z);
            }
        }

        return scale > 0 ? worst / scale : 0;
    }
}
