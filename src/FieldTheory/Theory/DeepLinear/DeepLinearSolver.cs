using FieldTheory.Experiments;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Theory.DeepLinear;

/// <summary>
/// Infinite-width dynamics of deep linear networks (phi(h) = h) from the closed algebraic equations of DESIGN.md 3.3,
/// marched in discrete time with the network's eta; no sampling, so the result is exact up to rounding.
/// </summary>
/// <remarks>
/// With S = Points (T + 1) (Points = train plus test points) the solver holds <see cref="MatrixCount"/> dense S x S
/// matrices: peak memory 8 (10 L + 4) S^2 bytes. Time O(L S^3) = O(L Points^3 T^3) flops (each of the S rows costs a
/// few products of length S^2). Test points are spectators: their Delta is zero, so they never act on the training
/// points.
/// </remarks>
internal static class DeepLinearSolver
{
    /// <summary>Problems needing more than this (4 GiB) are refused unless a larger limit is passed.</summary>
    public const long DefaultMemoryLimitBytes = 4L << 30;

    /// <summary>Dense matrices held for <paramref name="hiddenLayers"/> layers: 10 L + 4.</summary>
    public static long MatrixCount(int hiddenLayers) => DeepLinearMarch.MatrixCount(hiddenLayers);

    /// <summary>Peak memory in bytes: 8 (10 L + 4) (Points (T + 1))^2.</summary>
    public static long PeakMemoryBytes(int hiddenLayers, int points, int steps)
    {
        long size = (long)points * (steps + 1);
        return 8 * MatrixCount(hiddenLayers) * size * size;
    }

    /// <summary>
    /// Solves DESIGN.md 3.3 for an L-hidden-layer linear network trained on P points by full-batch gradient descent.
    /// </summary>
    /// <param name="hiddenLayers">L &gt;= 1 (L = 1 is the two-layer linear network).</param>
    /// <param name="inputGram">K^x over train then test points, row-major.</param>
    /// <param name="trainCount">P: the first P points of <paramref name="inputGram"/> are trained on.</param>
    /// <param name="y">Targets of the training points.</param>
    /// <param name="gamma0">Feature-learning strength.</param>
    /// <param name="eta">Learning rate.</param>
    /// <param name="steps">T.</param>
    /// <param name="centered">Train f - f(0) (identical at infinite width, where f(0) = 0).</param>
    /// <param name="ct">Cancellation, checked every step.</param>
    /// <param name="progress">Fraction of steps done.</param>
    /// <param name="memoryLimitBytes">Refuse problems whose <see cref="PeakMemoryBytes"/> exceeds this.</param>
    /// <exception cref="ExperimentException">The problem needs more memory than <paramref name="memoryLimitBytes"/>.</exception>
    public static DeepTrajectory Solve(
        int hiddenLayers,
        double[] inputGram,
        int trainCount,
        double[] y,
        double gamma0,
        double eta,
        int steps,
        bool centered,
        CancellationToken ct = default,
        IProgress<double>? progress = null,
        long memoryLimitBytes = DefaultMemoryLimitBytes)
    {
        var problem = new DeepProblem(hiddenLayers, inputGram, trainCount, y, gamma0, eta, steps, centered);
        long bytes = PeakMemoryBytes(hiddenLayers, problem.Points, steps);
        long size = problem.Size;
        if (bytes > memoryLimitBytes || size * size > Array.MaxLength)
        {
            throw new ExperimentException(
                "steps",
                $"the deep linear solver holds {MatrixCount(hiddenLayers)} dense matrices of (points x (steps + 1))^2 = {size}^2 entries, " +
                $"{bytes / (1 << 20)} MiB, above the limit of {memoryLimitBytes / (1 << 20)} MiB; use fewer steps or points");
        }

        return new DeepLinearMarch(problem).Run(ct, progress);
    }
}
