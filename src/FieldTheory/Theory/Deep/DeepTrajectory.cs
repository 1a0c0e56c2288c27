using FieldTheory.Results;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The infinite-width training trajectory of a deep network (DESIGN.md 3.2, 3.3): predictions, errors, the NTK and
/// the per-layer two-time kernels, in the conventions of DESIGN.md section 2. Index n runs over steps 0..T, mu over
/// training points, j over test points, l over hidden layers 1..L (stored at l - 1).
/// </summary>
/// <param name="HiddenLayers">L.</param>
/// <param name="TrainCount">P.</param>
/// <param name="TestCount">Number of test points.</param>
/// <param name="Steps">T.</param>
/// <param name="Gamma0">Feature-learning strength.</param>
/// <param name="Eta">Learning rate.</param>
/// <param name="Centered">Whether f(0) was subtracted (DESIGN.md section 2).</param>
/// <param name="F">f_mu(n), [n][mu].</param>
/// <param name="Delta">Delta_mu(n) = y_mu - f_mu(n), [n][mu].</param>
/// <param name="TestF">f on test points, [n][j], or null without test points.</param>
/// <param name="Ntk">K_{mu nu}(n) = sum_{l=0..L} G^{l+1}_{mu nu}(n,n) Phi^l_{mu nu}(n,n), [n][mu][nu].</param>
/// <param name="Loss">1/2 sum_mu Delta_mu(n)^2, [n].</param>
/// <param name="Phi">Phi^l over all points and steps, [l-1].</param>
/// <param name="G">G^l over all points and steps, [l-1].</param>
/// <param name="CrossKernel">X^l_{mu mu}(n,n) = &lt;h^l_mu(n) g^l_mu(n)&gt; over all points, [l-1][n][mu] (linear solver only; else null).</param>
internal sealed record DeepTrajectory(
    int HiddenLayers,
    int TrainCount,
    int TestCount,
    int Steps,
    double Gamma0,
    double Eta,
    bool Centered,
    double[][] F,
    double[][] Delta,
    double[][]? TestF,
    double[][][] Ntk,
    double[] Loss,
    TwoTimeKernel[] Phi,
    TwoTimeKernel[] G,
    double[][][]? CrossKernel)
{
    /// <summary>
    /// The trajectory as the theory part of a result: mean series (with equal-time kernels Phi^l(n,n), G^l(n,n) over
    /// training points) and, when <paramref name="twoTimeKernels"/>, Phi^l(n,m), G^l(n,m).
    /// </summary>
    /// <param name="method">Solver and integration, one line.</param>
    /// <param name="sites">Samples per layer (0 for the algebraic solver).</param>
    /// <param name="twoTimeKernels">Include the two-time kernels.</param>
    /// <param name="integrationError">Estimated error of the mean, or null when exact.</param>
    public TheoryResult ToTheoryResult(string method, int sites, bool twoTimeKernels, Series? integrationError = null)
    {
        TwoTimeKernels? kernels = twoTimeKernels
            ? new TwoTimeKernels([.. Phi.Select(k => k.ToArray(TrainCount))], [.. G.Select(k => k.ToArray(TrainCount))])
            : null;
        return new TheoryResult(method, sites, MeanSeries(), integrationError, Kernels: kernels);
    }

    /// <summary>The trajectory as a series, with the equal-time kernels over training points.</summary>
    internal Series MeanSeries() => new(
            F,
            Delta,
            Ntk,
            Loss,
            TestF,
            FeatureKernel: [.. Phi.Select(EqualTimeSeries)],
            GradientKernel: [.. G.Select(EqualTimeSeries)]);

    private double[][][] EqualTimeSeries(TwoTimeKernel kernel) =>
        [.. Enumerable.Range(0, Steps + 1).Select(n => kernel.EqualTime(n, TrainCount))];

    /// <summary>Builds the series from f over all points, [n][point], and the kernels.</summary>
    internal static DeepTrajectory Assemble(DeepProblem problem, double[][] fAll, TwoTimeKernel[] phi, TwoTimeKernel[] g, double[][][]? cross)
    {
        int p = problem.TrainCount;
        int steps = problem.Steps;
        var f = new double[steps + 1][];
        var delta = new double[steps + 1][];
        var loss = new double[steps + 1];
        double[][]? testF = problem.TestCount > 0 ? new double[steps + 1][] : null;
        var ntk = new double[steps + 1][][];
        for (int n = 0; n <= steps; n++)
        {
            f[n] = fAll[n][..p];
            delta[n] = new double[p];
            for (int mu = 0; mu < p; mu++)
            {
                delta[n][mu] = problem.Y[mu] - f[n][mu];
                loss[n] += 0.5 * delta[n][mu] * delta[n][mu];
            }

            if (testF is not null)
            {
                testF[n] = fAll[n][p..];
            }

            ntk[n] = NeuralTangentKernel(problem, phi, g, n);
        }

        return new DeepTrajectory(problem.HiddenLayers, p, problem.TestCount, steps, problem.Gamma0, problem.Eta, problem.Centered,
            f, delta, testF, ntk, loss, phi, g, cross);
    }

    // K(n) = sum_{l=0..L} G^{l+1}(n,n) o Phi^l(n,n) with Phi^0 = K^x and G^{L+1} = 1 (DESIGN.md section 2).
    private static double[][] NeuralTangentKernel(DeepProblem problem, TwoTimeKernel[] phi, TwoTimeKernel[] g, int n)
    {
        int p = problem.TrainCount;
        int layers = problem.HiddenLayers;
        var k = new double[p][];
        for (int mu = 0; mu < p; mu++)
        {
            k[mu] = new double[p];
            for (int nu = 0; nu < p; nu++)
            {
                double sum = g[0][n, mu, n, nu] * problem.InputGram[mu * problem.Points + nu];
                for (int l = 1; l < layers; l++)
                {
                    sum += g[l][n, mu, n, nu] * phi[l - 1][n, mu, n, nu];
                }

                k[mu][nu] = sum + phi[layers - 1][n, mu, n, nu];
            }
        }

        return k;
    }
}
