using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Results;
using FieldTheory.Theory.Deep;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>Sample budgets of one replica of <see cref="DeepNonlinearFluctuations"/>, per layer.</summary>
/// <param name="SaddleFields">Field samples of the infinite-width solve (<see cref="DeepRuns{TActivation}"/>).</param>
/// <param name="SaddleTangents">Its tangent samples (responses A, B).</param>
/// <param name="Propagator">The propagator's own samples.</param>
internal sealed record DeepFluctuationBudget(int SaddleFields, int SaddleTangents, PropagatorSampling Propagator)
{
    /// <summary>The budget for <c>theory.sites</c> = M: M saddle field samples, M / 4 saddle tangents, M propagator field samples and M / 10 propagator tangents.</summary>
    public static DeepFluctuationBudget FromSites(int sites, ulong seed) =>
        new(sites, Math.Max(64, sites / 4), new PropagatorSampling(sites, Math.Max(64, sites / 10), seed));
}

/// <summary>
/// N Var of the observables of a network with L &gt;= 2 hidden layers of a smooth nonlinearity trained on P points
/// (DESIGN.md 4.5, deep nonlinear networks; three or more hidden layers included), with the predictions on test points
/// as observable rows (docs/deep-nonlinear-fluctuations.md, "Test points"): the infinite-width saddle by the one-pass causal march (DESIGN.md 3.2), then the
/// sampled propagator (<see cref="DeepNonlinearPropagator"/>) around it, in <see cref="ReplicaCount"/> independent
/// replicas (new seeds for the saddle and the propagator); the result is their mean and its standard error.
/// </summary>
/// <remarks>
/// Peak memory: <see cref="DeepNonlinearPropagator.PeakMemoryBytes"/> (24 dim^2 with dim = L S (S + 1) + 2 (L - 1) S^2 + S,
/// S = (P + P_test) (T + 1) time-major positions, plus the chunk sums and site jets of each layer; refused above <see cref="MemoryLimitBytes"/>) + <see
/// cref="DeepSolver.PeakMemoryBytes"/> of the saddle; the replicas run one after another. Time per replica: the saddle
/// plus about (M_t S^5 / 2 + M S^4 / 2) flops per end layer and (4 M_t S^5 + M S^4 / 2) per middle layer.
/// </remarks>
internal static class DeepNonlinearFluctuations
{
    /// <summary>Largest T: the propagator is dense over dim q ~ (4 L - 2) S^2 order parameters, S = (P + P_test) (T + 1), and its third-order moments cost ~S^5 per sample.</summary>
    public const int MaxSteps = 20;

    /// <summary>
    /// Largest S = (P + P_test) (T + 1): everything but a small scratch depends on the points and T through the number of
    /// (time, point) positions only, test points included, so P + P_test points allow (<see cref="MaxSteps"/> + 1) / (P + P_test) - 1 steps.
    /// </summary>
    public const int MaxPositions = MaxSteps + 1;

    /// <summary>Largest <see cref="DeepNonlinearPropagator.PeakMemoryBytes"/> accepted (1 GiB).</summary>
    public const long MemoryLimitBytes = 1L << 30;

    /// <summary>Independent replicas behind the mean and its standard error.</summary>
    public const int ReplicaCount = 4;

    /// <summary>
    /// N Var of f, Delta, the NTK, the loss and the equal-time layer kernels (training points) and of the test predictions
    /// (TestF, where the data have test points) in the shape of the deep linear propagator's series, and the standard
    /// error of each entry over the replicas.
    /// </summary>
    /// <exception cref="ExperimentException">Unsupported depth, data, activation or number of steps.</exception>
    public static (Series Nvar, Series NvarError) Compute(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct) =>
        Compute(experiment, model, data, ReplicaCount, responseCoupling: true, progress, ct);

    /// <summary>As above with a chosen number of replicas (at least 2); without J only as a diagnostic (DESIGN.md 4.5).</summary>
    internal static (Series Nvar, Series NvarError) Compute(Experiment experiment, NetworkModel model, Dataset data, int replicaCount, bool responseCoupling,
        IProgress<double>? progress, CancellationToken ct)
    {
        (List<Series> coupled, _) = Replicas(experiment, model, data, replicaCount, responseCoupling, uncoupledToo: false, progress, ct);
        return MeanAndError(coupled);
    }

    /// <summary>
    /// The diagnostic comparison of DESIGN.md 4.5: the propagator with and without J from the same samples (one sampling
    /// per replica, two solves), each as mean and standard error over <paramref name="replicaCount"/> replicas.
    /// </summary>
    internal static ((Series Nvar, Series NvarError) WithJ, (Series Nvar, Series NvarError) WithoutJ) CompareResponseCoupling(
        Experiment experiment, NetworkModel model, Dataset data, int replicaCount, IProgress<double>? progress, CancellationToken ct)
    {
        (List<Series> coupled, List<Series> uncoupled) = Replicas(experiment, model, data, replicaCount, responseCoupling: true, uncoupledToo: true, progress, ct);
        return (MeanAndError(coupled), MeanAndError(uncoupled));
    }

    private static (List<Series> Coupled, List<Series> Uncoupled) Replicas(Experiment experiment, NetworkModel model, Dataset data, int replicaCount,
        bool responseCoupling, bool uncoupledToo, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicaCount, 2);
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        TheorySpec spec = experiment.Theory ?? throw new ExperimentException("theory", "the deep nonlinear propagator needs a theory section");
        Validate(experiment, model, data);
        var coupled = new List<Series>();
        var uncoupled = new List<Series>();
        for (int r = 0; r < replicaCount; r++)
        {
            ct.ThrowIfCancellationRequested();
            NonlinearPropagator propagator = Replica(model, data.InputGram(), data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps,
                experiment.Centered, DeepFluctuationBudget.FromSites(spec.Sites, Mix(spec.Seed, 3 * r + 2)), Mix(spec.Seed, 3 * r), Mix(spec.Seed, 3 * r + 1),
                responseCoupling, uncoupledToo, ct);
            coupled.Add(propagator.Fluctuations.ToNvarSeries());
            if (propagator.Uncoupled is not null)
            {
                uncoupled.Add(propagator.Uncoupled.ToNvarSeries());
            }

            progress?.Report((r + 1.0) / replicaCount);
        }

        return (coupled, uncoupled);
    }

    /// <summary>
    /// kappa_K = N Cov(K_ab, K_cd) of the NTK at initialisation, one matrix per replica, over the entries (a, b) with a
    /// over all <paramref name="points"/> points of <paramref name="gram"/> and b over the first <paramref name="train"/>,
    /// index a P + b (the universal lazy form's input, DESIGN.md 4.4): the propagator at T = 0 with every point as a
    /// training point, since at n = 0 nothing has been trained and the targets, eta and gamma0 do not enter.
    /// <c>theory.sites</c> and <c>theory.seed</c> set the samples as for <see cref="Compute(Experiment, NetworkModel, Dataset, IProgress{double}?, CancellationToken)"/>.
    /// </summary>
    internal static List<double[]> InitialNtkCovariances(NetworkModel model, double[] gram, int points, int train, TheorySpec spec, CancellationToken ct)
    {
        var replicas = new List<double[]>();
        int entries = points * train;
        for (int r = 0; r < ReplicaCount; r++)
        {
            NonlinearPropagator propagator = Replica(model, gram, new double[points], gamma0: 1.0, eta: 1.0, steps: 0, centered: true,
                DeepFluctuationBudget.FromSites(spec.Sites, Mix(spec.Seed, 3 * r + 2)), Mix(spec.Seed, 3 * r), Mix(spec.Seed, 3 * r + 1),
                responseCoupling: true, uncoupledToo: false, ct);
            var kappa = new double[entries * entries];
            for (int i = 0; i < entries; i++)
            {
                for (int j = 0; j < entries; j++)
                {
                    kappa[(i * entries) + j] = propagator.Fluctuations.NtkCovariance(0, i / train, i % train, 0, j / train, j % train);
                }
            }

            replicas.Add(kappa);
        }

        return replicas;
    }

    /// <summary>The mean of <paramref name="replicas"/> and its standard error, entry by entry.</summary>
    internal static (Series Mean, Series Error) MeanAndError(List<Series> replicas)
    {
        int count = replicas.Count;
        Series mean = SeriesMath.Combine(replicas[0], replicas[0], (_, _) => 0);
        foreach (Series replica in replicas)
        {
            mean = SeriesMath.Combine(mean, replica, (sum, x) => sum + x / count);
        }

        Series spread = SeriesStatistics.StandardDeviation(replicas);
        return (mean, SeriesMath.Combine(spread, spread, (sd, _) => sd / Math.Sqrt(count)));
    }

    /// <summary>
    /// Why this propagator does not cover <paramref name="model"/> (a kinked activation), or null when it does; any
    /// number of training and test points is covered up to the budgets of <see cref="Validate"/>.
    /// </summary>
    public static string? CoverageGap(NetworkModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return model.Info.Activation.Smoothness == Smoothness.Smooth
            ? null
            : $"the deep nonlinear propagator (DESIGN.md 4.5) needs a smooth activation ({model.Name} has a kink, whose terms pathwise derivatives miss, DESIGN.md 4.6)";
    }

    /// <summary>Refuses what this propagator does not cover or cannot afford, naming the experiment field.</summary>
    public static void Validate(Experiment experiment, NetworkModel model, Dataset data)
    {
        if (model.HiddenLayers < 2)
        {
            throw new ExperimentException("model", $"the deep nonlinear propagator covers two or more hidden layers (L >= 2; one hidden layer has its own propagator, DESIGN.md 4.2); this model has L = {model.HiddenLayers}");
        }

        if (model.Info.Activation.Smoothness != Smoothness.Smooth)
        {
            throw new ExperimentException("model", "the deep nonlinear propagator needs a smooth activation: pathwise derivatives miss the kink terms (DESIGN.md 4.6)");
        }

        if (experiment.Steps > MaxSteps)
        {
            throw new ExperimentException("steps", $"the deep nonlinear propagator is dense over ~(4 L - 2) T^2 order parameters and samples ~T^5 moments; at most {MaxSteps} steps, got {experiment.Steps}");
        }

        int train = data.Count, test = data.TestCount, points = train + test, layers = model.HiddenLayers, steps = experiment.Steps;
        long positions = (long)points * (steps + 1);
        string counted = test > 0 ? $"P = {train} training and P_test = {test} test points" : $"P = {train} training points";
        string shortCount = test > 0 ? $"P = {train}, P_test = {test}" : $"P = {train}";
        if (positions > MaxPositions)
        {
            throw new ExperimentException("data", $"the deep nonlinear propagator samples ~S^5 moments over the S = (P + P_test) (T + 1) (step, point) positions, test points included, at most {MaxPositions}; " +
                $"{counted} at T = {steps} make S = {positions}: use at most {MaxPositions / points - 1} steps for {points} points, or fewer points");
        }

        long bytes = DeepNonlinearPropagator.PeakMemoryBytes(layers, train, steps, test);
        if (bytes > MemoryLimitBytes)
        {
            // Blame the data where the same steps would fit with one training point and no test point.
            string field = points > 1 && DeepNonlinearPropagator.PeakMemoryBytes(layers, 1, steps) <= MemoryLimitBytes ? "data" : "steps";
            throw new ExperimentException(field, $"the deep nonlinear propagator needs {bytes >> 20} MiB for L = {layers}, {shortCount}, T = {steps} " +
                $"(dense over dim q = {OrderParameterLayout.DimensionOf(layers, points, steps)}, third-order site jets ~24 S (F S)^3 bytes per thread, S = (P + P_test) (T + 1) = {positions}), " +
                $"above the limit of {MemoryLimitBytes >> 20} MiB; use fewer steps, points or layers");
        }

        if (experiment.Online)
        {
            throw new ExperimentException("online", "the deep nonlinear propagator covers full-batch training only");
        }
    }

    /// <summary>
    /// One replica: the saddle with seeds (<paramref name="fieldSeed"/>, <paramref name="tangentSeed"/>), then the
    /// propagator around it (with <paramref name="uncoupledToo"/> also solved without J from the same samples).
    /// <paramref name="inputGram"/> is K^x over the training points (the first y.Length) and then any test points.
    /// </summary>
    internal static NonlinearPropagator Replica(NetworkModel model, double[] inputGram, double[] y, double gamma0, double eta, int steps, bool centered,
        DeepFluctuationBudget budget, ulong fieldSeed, ulong tangentSeed, bool responseCoupling, bool uncoupledToo, CancellationToken ct)
    {
        var problem = new DeepProblem(model.HiddenLayers, inputGram, y.Length, y, gamma0, eta, steps, centered);
        (NonlinearSaddle saddle, DeepTrajectory trajectory) = model.Accept(new SaddleVisitor(problem, budget, fieldSeed, tangentSeed, ct));
        return DeepNonlinearPropagator.Compute(model, saddle, trajectory, budget.Propagator, responseCoupling, uncoupledToo, ct);
    }

    private sealed class SaddleVisitor(DeepProblem problem, DeepFluctuationBudget budget, ulong fieldSeed, ulong tangentSeed, CancellationToken ct)
        : INetworkModelVisitor<(NonlinearSaddle, DeepTrajectory)>
    {
        public (NonlinearSaddle, DeepTrajectory) Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation
        {
            var runs = new DeepRuns<TActivation>(problem, budget.SaddleFields, budget.SaddleTangents, new DeepSolverOptions(ErrorReplicas: 0), ct);
            OrderParameters solution = runs.OnePass(fieldSeed, tangentSeed, null);
            return (NonlinearSaddle.From(solution, problem), runs.Trajectory(solution));
        }
    }

    // SplitMix64 of (seed, k): independent seeds for the replicas' saddles and propagators.
    private static ulong Mix(ulong seed, int k)
    {
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(k + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
