using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Theory;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.Lazy;

/// <summary>The lazy-limit fluctuations of <see cref="LazyFluctuations"/>, centered convention.</summary>
/// <param name="Delta">Mean error Delta_mu(n), [n][mu].</param>
/// <param name="TestF">Mean test output f_j(n), [n][j]; null without test points or in continuous time.</param>
/// <param name="NvarDelta">N Var Delta_mu(n), [n][mu].</param>
/// <param name="NvarTestF">N Var f_j(n), [n][j]; null without test points or in continuous time.</param>
/// <param name="CovDelta">N Cov(Delta_a(n), Delta_b(m)), C x C with C = (T + 1) P, index n P + a.</param>
internal sealed record LazyFluctuationResult(double[][] Delta, double[][]? TestF, double[][] NvarDelta, double[][]? NvarTestF, double[] CovDelta);

/// <summary>
/// The universal lazy-limit prediction variance (DESIGN.md 4.4). Kernels are frozen at K + delta K / sqrt N with
/// kappa_K = N Cov(K) at initialisation; centered outputs follow kernel regression with the perturbed kernel, and to
/// first order, in the eigenbasis K = sum_k lambda_k v_k v_k^T with y_l = v_l . y, delta K_kl = v_k^T delta K v_l,
/// <code>
///   [delta Delta(t)]_k = - sum_l delta K_kl y_l F_kl(t)
///   F_kl(t) = (e^{-lambda_l t} - e^{-lambda_k t}) / (lambda_k - lambda_l)                  (continuous; t e^{-lambda t} when equal)
///   F_kl(n) = eta sum_{i &lt; n} (1 - eta lambda_k)^i (1 - eta lambda_l)^{n-1-i}               (discrete, the same divided difference, exact)
/// </code>
/// so that N Cov(Delta(t), Delta(s)) = L(t) kappa_K L(s)^T with L(t) the linear map delta K -> delta Delta(t). Test
/// outputs f_test(n) = eta sum_{m &lt; n} K_test,train Delta(m) fluctuate through both factors. The architecture enters
/// only through K and kappa_K.
/// </summary>
internal static class LazyFluctuations
{
    /// <summary>
    /// Discrete time with step <paramref name="eta"/>: Delta(n) = (I - eta K)^n y, n = 0..<paramref name="steps"/>.
    /// </summary>
    /// <param name="kernel">K_{a b} for a over the Q = P + P_test points and b over the P training points, Q x P row-major.</param>
    /// <param name="kappa">N Cov(K_{ab}, K_{cd}) over the same Q P entries, (Q P) x (Q P) row-major.</param>
    /// <param name="train">P.</param>
    /// <param name="targets">y, P.</param>
    /// <param name="eta">Learning rate.</param>
    /// <param name="steps">T.</param>
    /// <returns>Means, N Var of Delta and test outputs, and N Cov Delta(n, m).</returns>
    public static LazyFluctuationResult Discrete(double[] kernel, double[] kappa, int train, double[] targets, double eta, int steps)
    {
        var modes = new KernelModes(kernel, train, targets);
        var factors = new double[train * train];
        var partial = new double[train * train];
        var maps = new double[steps + 1][];
        var sums = new double[steps + 1][];
        var sumDelta = new double[steps + 1][];
        sumDelta[0] = new double[train];
        var runningMap = new double[train * modes.Entries];
        for (int n = 0; n <= steps; n++)
        {
            // F_kl(n) = eta E_kl(n), E_kl(n + 1) = a_k^n + a_l E_kl(n), with a = 1 - eta lambda.
            for (int k = 0; k < train; k++)
            {
                for (int l = 0; l < train; l++)
                {
                    factors[(k * train) + l] = eta * partial[(k * train) + l];
                }
            }

            maps[n] = modes.DeltaMap(factors);
            sums[n] = (double[])runningMap.Clone();
            if (n > 0)
            {
                sumDelta[n] = sumDelta[n - 1].Zip(modes.Delta(n - 1, eta), (s, d) => s + (eta * d)).ToArray();
            }

            for (int i = 0; i < runningMap.Length; i++)
            {
                runningMap[i] += eta * maps[n][i];
            }

            for (int k = 0; k < train; k++)
            {
                double ak = Math.Pow(1.0 - (eta * modes.Values[k]), n);
                for (int l = 0; l < train; l++)
                {
                    partial[(k * train) + l] = ak + ((1.0 - (eta * modes.Values[l])) * partial[(k * train) + l]);
                }
            }
        }

        double[][] delta = [.. Enumerable.Range(0, steps + 1).Select(n => modes.Delta(n, eta))];
        double[][]? testF = null;
        double[][]? testMaps = null;
        if (modes.Test > 0)
        {
            testF = [.. sumDelta.Select(modes.TestOutput)];
            testMaps = [.. Enumerable.Range(0, steps + 1).Select(n => modes.TestMap(sumDelta[n], sums[n]))];
        }

        return Assemble(modes, kappa, maps, delta, testF, testMaps);
    }

    /// <summary>Gradient flow: Delta(t) = exp(-K t) y at the given <paramref name="times"/> (test outputs are not computed).</summary>
    /// <param name="kernel">K over Q x P entries, as in <see cref="Discrete"/>.</param>
    /// <param name="kappa">N Cov of those entries.</param>
    /// <param name="train">P.</param>
    /// <param name="targets">y.</param>
    /// <param name="times">t values.</param>
    /// <returns>Means, N Var and N Cov of Delta at the given times.</returns>
    public static LazyFluctuationResult Continuous(double[] kernel, double[] kappa, int train, double[] targets, double[] times)
    {
        var modes = new KernelModes(kernel, train, targets);
        var maps = new double[times.Length][];
        var factors = new double[train * train];
        for (int n = 0; n < times.Length; n++)
        {
            double t = times[n];
            for (int k = 0; k < train; k++)
            {
                for (int l = 0; l < train; l++)
                {
                    factors[(k * train) + l] = ContinuousFactor(modes.Values[k], modes.Values[l], t);
                }
            }

            maps[n] = modes.DeltaMap(factors);
        }

        double[][] delta = [.. times.Select(modes.DeltaAt)];
        return Assemble(modes, kappa, maps, delta, null, null);
    }

    /// <summary>
    /// The lazy form for a two-layer experiment (centered convention, discrete time with the experiment's eta): K and
    /// kappa_K = N Cov(K) at initialisation are site averages over the first group of the rule that the experiment's
    /// <c>theory</c> section selects (as the two-layer solver would use).
    /// </summary>
    /// <param name="experiment">The experiment; its <c>theory</c> section must be present.</param>
    /// <param name="model">A two-layer model.</param>
    /// <param name="data">The experiment's data.</param>
    /// <returns>Means, N Var of Delta and test outputs, and N Cov Delta(n, m).</returns>
    /// <exception cref="ExperimentException">No theory section or a deep model.</exception>
    public static LazyFluctuationResult ForTwoLayer(Experiment experiment, NetworkModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        TheorySpec spec = experiment.Theory ?? throw new ExperimentException("theory", "missing; the lazy fluctuations need a \"theory\" section for their sites.");
        if (model.HiddenLayers != 1)
        {
            throw new ExperimentException("model", $"{model.Name} has {model.HiddenLayers} hidden layers; the site covariance of the NTK is implemented for two-layer networks.");
        }

        int points = data.Count + data.TestCount;
        var problem = new TwoLayerProblem(data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, Centered: true, RecordTwoTime: false);
        (IntegrationMethod method, int dimension) = TheoryRunner.ChooseMethod(spec, problem);
        SiteRule rule = TheoryRunner.BuildRule(method, spec, dimension);
        (double[] kernel, double[] kappa) = InitialKernelStatistics.Of(model, problem.InputGram, points, data.Count, rule);
        return Discrete(kernel, kappa, data.Count, data.Y, experiment.Eta, experiment.Steps);
    }

    /// <summary>(e^{-lambda_l t} - e^{-lambda_k t}) / (lambda_k - lambda_l), evaluated stably (t e^{-lambda t} in the limit).</summary>
    internal static double ContinuousFactor(double lambdaK, double lambdaL, double t)
    {
        double x = (lambdaK - lambdaL) * t;
        double ratio = Math.Abs(x) < 1e-4
            ? 1.0 - (x / 2.0) + (x * x / 6.0)
            : -(Math.Exp(-x) - 1.0) / x;
        return t * Math.Exp(-lambdaL * t) * ratio;
    }

    private static LazyFluctuationResult Assemble(KernelModes modes, double[] kappa, double[][] maps, double[][] delta, double[][]? testF, double[][]? testMaps)
    {
        int p = modes.Train;
        int e = modes.Entries;
        int count = maps.Length;
        int columns = count * p;
        var stacked = new double[columns * e];
        for (int n = 0; n < count; n++)
        {
            Array.Copy(maps[n], 0, stacked, n * p * e, p * e);
        }

        double[] cov = Sandwich(stacked, columns, kappa, e);
        double[][] nvarDelta = [.. Enumerable.Range(0, count).Select(n => Enumerable.Range(0, p).Select(a => cov[(((n * p) + a) * columns) + (n * p) + a]).ToArray())];
        double[][]? nvarTest = null;
        if (testMaps is not null)
        {
            nvarTest = new double[count][];
            for (int n = 0; n < count; n++)
            {
                double[] c = Sandwich(testMaps[n], modes.Test, kappa, e);
                nvarTest[n] = [.. Enumerable.Range(0, modes.Test).Select(j => c[(j * modes.Test) + j])];
            }
        }

        return new LazyFluctuationResult(delta, testF, nvarDelta, nvarTest, cov);
    }

    // L kappa L^T for L (rows x e).
    private static double[] Sandwich(double[] l, int rows, double[] kappa, int e)
    {
        var lk = new double[rows * e];
        for (int i = 0; i < rows; i++)
        {
            for (int a = 0; a < e; a++)
            {
                double lia = l[(i * e) + a];
                if (lia == 0.0)
                {
                    continue;
                }

                for (int b = 0; b < e; b++)
                {
                    lk[(i * e) + b] += lia * kappa[(a * e) + b];
                }
            }
        }

        var result = new double[rows * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < rows; j++)
            {
                double sum = 0.0;
                for (int b = 0; b < e; b++)
                {
                    sum += lk[(i * e) + b] * l[(j * e) + b];
                }

                result[(i * rows) + j] = sum;
            }
        }

        return result;
    }
}
