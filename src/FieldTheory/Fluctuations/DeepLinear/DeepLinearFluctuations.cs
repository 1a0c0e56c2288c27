using FieldTheory.Results;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// The propagator Sigma = N Cov(q) of a deep linear network at its saddle (DESIGN.md 4.5) and the leading-order
/// N Var / N Cov of observables built from it: N Var O = grad O^T Sigma grad O (DESIGN.md 4.1). Every number is
/// N times a (co)variance, the O(1) coefficient of the 1/N fluctuations.
/// </summary>
internal sealed class DeepLinearFluctuations
{
    private readonly OrderParameterLayout _layout;
    private readonly double[] _sigma;
    private readonly double[] _inputGram;

    internal DeepLinearFluctuations(DeepTrajectory saddle, double[] inputGram, OrderParameterLayout layout, double[] sigma, int predictionLayer,
        bool responseCoupling, double asymmetry, TimeSpan elapsed)
    {
        Saddle = saddle;
        _inputGram = inputGram;
        _layout = layout;
        _sigma = sigma;
        PredictionLayer = predictionLayer;
        ResponseCoupling = responseCoupling;
        Asymmetry = asymmetry;
        Elapsed = elapsed;
    }

    /// <summary>The infinite-width trajectory the propagator is linearised around.</summary>
    public DeepTrajectory Saddle { get; }

    /// <summary>L.</summary>
    public int HiddenLayers => _layout.Layers;

    /// <summary>T.</summary>
    public int Steps => Saddle.Steps;

    /// <summary>P.</summary>
    public int TrainCount => _layout.TrainCount;

    /// <summary>Test points whose predictions are rows of Sigma (deep nonlinear propagator only; 0 otherwise).</summary>
    public int TestCount => _layout.Points - _layout.TrainCount;

    /// <summary>Whether these are fluctuations of f - f(0) (DESIGN.md section 2).</summary>
    public bool Centered => Saddle.Centered;

    /// <summary>The layer whose site observable h g / gamma0 represented f.</summary>
    public int PredictionLayer { get; }

    /// <summary>Whether J was included (always, except in diagnostics).</summary>
    public bool ResponseCoupling { get; }

    /// <summary>dim q.</summary>
    public int Dimension => _layout.Dimension;

    /// <summary>max |Sigma - Sigma^T| / max |Sigma| before symmetrisation: a rounding diagnostic.</summary>
    public double Asymmetry { get; }

    /// <summary>Wall-clock time of <see cref="DeepLinearPropagator.Compute"/>.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>N Cov(f_mu(n), f_nu(m)) = N Cov(Delta_mu(n), Delta_nu(m)).</summary>
    public double PredictionCovariance(int n, int mu, int m, int nu) =>
        Entry(_layout.Prediction(n * _layout.Points + mu), _layout.Prediction(m * _layout.Points + nu));

    /// <summary>N Cov(f_test,j(n), f_test,k(m)) (the test predictions' rows of Sigma; only where <see cref="TestCount"/> &gt; 0).</summary>
    public double TestPredictionCovariance(int n, int j, int m, int k) => PredictionCovariance(n, TrainCount + j, m, TrainCount + k);

    /// <summary>N Var Delta_mu(n).</summary>
    public double DeltaVariance(int n, int mu = 0) => PredictionCovariance(n, mu, n, mu);

    /// <summary>N Cov of two kernel entries (any layers, kinds and times).</summary>
    public double KernelCovariance(KernelEntry a, KernelEntry b) => Entry(Index(a), Index(b));

    /// <summary>N Var of one kernel entry.</summary>
    public double KernelVariance(KernelEntry entry) => KernelCovariance(entry, entry);

    /// <summary>N Cov(K_{mu nu}(n), K_{mu' nu'}(m)) of the NTK K = sum_{l=0..L} G^{l+1} H^l (equal-time entries).</summary>
    public double NtkCovariance(int n, int mu, int nu, int m, int muPrime, int nuPrime) =>
        Covariance(NtkGradient(n, mu, nu), NtkGradient(m, muPrime, nuPrime));

    /// <summary>N Var K_{mu nu}(n).</summary>
    public double NtkVariance(int n, int mu = 0, int nu = 0) => NtkCovariance(n, mu, nu, n, mu, nu);

    /// <summary>N Var L(n) = Delta(n)^T Sigma_Delta(n, n) Delta(n) for L = 1/2 |Delta|^2 (DESIGN.md 4.3).</summary>
    public double LossVariance(int n)
    {
        double sum = 0;
        for (int mu = 0; mu < TrainCount; mu++)
        {
            for (int nu = 0; nu < TrainCount; nu++)
            {
                sum += Saddle.Delta[n][mu] * PredictionCovariance(n, mu, n, nu) * Saddle.Delta[n][nu];
            }
        }

        return sum;
    }

    /// <summary>SNR_l(n) = H^l_{mu mu}(n, n)^2 / (N Var H^l_{mu mu}(n, n)) (DESIGN.md 4.5).</summary>
    public double SignalToNoise(int layer, int n, int mu = 0)
    {
        double mean = Saddle.Phi[layer - 1][n, mu, n, mu];
        return mean * mean / KernelVariance(KernelEntry.Feature(layer, n, mu));
    }

    /// <summary>
    /// The variances as a result series (theory.nvar): F and Delta [n][mu], Ntk [n][mu][nu], Loss [n], FeatureKernel and
    /// GradientKernel [l-1][n][mu][nu] (N Var of the equal-time entries), and TestF [n][j] where the layout holds test points.
    /// </summary>
    public Series ToNvarSeries()
    {
        int steps = Steps, p = TrainCount, layers = HiddenLayers;
        var f = new double[steps + 1][];
        var ntk = new double[steps + 1][][];
        var loss = new double[steps + 1];
        var feature = new double[layers][][][];
        var gradient = new double[layers][][][];
        for (int l = 0; l < layers; l++)
        {
            feature[l] = new double[steps + 1][][];
            gradient[l] = new double[steps + 1][][];
        }

        for (int n = 0; n <= steps; n++)
        {
            f[n] = new double[p];
            ntk[n] = new double[p][];
            for (int mu = 0; mu < p; mu++)
            {
                f[n][mu] = DeltaVariance(n, mu);
                ntk[n][mu] = new double[p];
                for (int nu = 0; nu < p; nu++)
                {
                    ntk[n][mu][nu] = NtkVariance(n, mu, nu);
                }
            }

            loss[n] = LossVariance(n);
            for (int l = 1; l <= layers; l++)
            {
                feature[l - 1][n] = EqualTimeVariances(KernelKind.Feature, l, n);
                gradient[l - 1][n] = EqualTimeVariances(KernelKind.Gradient, l, n);
            }
        }

        double[][]? testF = TestCount == 0
            ? null
            : [.. Enumerable.Range(0, steps + 1).Select(n => Enumerable.Range(0, TestCount).Select(j => TestPredictionCovariance(n, j, n, j)).ToArray())];
        return new Series(f, [.. f.Select(row => (double[])row.Clone())], ntk, loss, testF, FeatureKernel: feature, GradientKernel: gradient);
    }

    private double[][] EqualTimeVariances(KernelKind kind, int layer, int n)
    {
        var block = new double[TrainCount][];
        for (int mu = 0; mu < TrainCount; mu++)
        {
            block[mu] = new double[TrainCount];
            for (int nu = 0; nu < TrainCount; nu++)
            {
                block[mu][nu] = KernelVariance(new KernelEntry(kind, layer, n, n, mu, nu));
            }
        }

        return block;
    }

    // dK_{mu nu}(n) = K^x dG^1 + sum_{l=1..L-1} (G^{l+1} dH^l + H^l dG^{l+1}) + dH^L, all at (n, n) and (mu, nu).
    private List<(int Index, double Weight)> NtkGradient(int n, int mu, int nu)
    {
        int layers = HiddenLayers;
        var gradient = new List<(int, double)>
        {
            (Index(new KernelEntry(KernelKind.Gradient, 1, n, n, mu, nu)), InputGram(mu, nu)),
            (Index(new KernelEntry(KernelKind.Feature, layers, n, n, mu, nu)), 1.0),
        };
        for (int l = 1; l < layers; l++)
        {
            gradient.Add((Index(new KernelEntry(KernelKind.Feature, l, n, n, mu, nu)), Saddle.G[l][n, mu, n, nu]));
            gradient.Add((Index(new KernelEntry(KernelKind.Gradient, l + 1, n, n, mu, nu)), Saddle.Phi[l - 1][n, mu, n, nu]));
        }

        return gradient;
    }

    private double InputGram(int mu, int nu) => _inputGram[mu * _layout.Points + nu];

    private double Covariance(List<(int Index, double Weight)> a, List<(int Index, double Weight)> b)
    {
        double sum = 0;
        foreach ((int i, double wi) in a)
        {
            foreach ((int j, double wj) in b)
            {
                sum += wi * wj * Entry(i, j);
            }
        }

        return sum;
    }

    private int Index(KernelEntry entry)
    {
        if (entry.Layer < 1 || entry.Layer > HiddenLayers)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Layer, $"hidden layers are 1..{HiddenLayers}");
        }

        int a = entry.N * _layout.Points + entry.Mu, b = entry.M * _layout.Points + entry.Nu;
        return entry.Kind == KernelKind.Feature ? _layout.Feature(entry.Layer, a, b) : _layout.Gradient(entry.Layer, a, b);
    }

    private double Entry(int i, int j) => _sigma[(long)i * _layout.Dimension + j];
}
