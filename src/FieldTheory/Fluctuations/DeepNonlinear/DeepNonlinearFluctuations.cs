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
/// N Var of the observables of a network with L &gt;= 2 hidden layers of a smooth nonlinearity trained on one point
/// (DESIGN.md 4.5, deep nonlinear networks; three or more hidden layers included): the infinite-width saddle by the one-pass causal march (DESIGN.md 3.2), then the
/// sampled propagator (<see cref="DeepNonlinearPropagator"/>) around it, in <see cref="ReplicaCount"/> independent
/// replicas (new seeds for the saddle and the propagator); the result is their mean and its standard error.
/// </summary>
/// <remarks>
/// Peak memory: <see cref="DeepNonlinearPropagator.PeakMemoryBytes"/> (24 dim^2 with dim = L S (S + 1) + 2 (L - 1) S^2 + S,
/// S = T + 1, plus the chunk sums and site jets of each layer; refused above <see cref="MemoryLimitBytes"/>) + <see
/// cref="DeepSolver.PeakMemoryBytes"/> of the saddle; the replicas run one after another. Time per replica: the saddle
/// plus about (M_t S^5 / 2 + M S^4 / 2) flops per end layer and (4 M_t S^5 + M S^4 / 2) per middle layer.
/// </remarks>
internal static class DeepNonlinearFluctuations
{
    /// <summary>Largest T: the propagator is dense over dim q ~ (4 L - 2) T^2 order parameters and its third-order moments cost ~T^5 per sample.</summary>
    public const int MaxSteps = 20;

    /// <summary>Largest <see cref="DeepNonlinearPropagator.PeakMemoryBytes"/> accepted (1 GiB).</summary>
    public const long MemoryLimitBytes = 1L << 30;

    /// <summary>Independent replicas behind the mean and its standard error.</summary>
    public const int ReplicaCount = 4;

    /// <summary>
    /// N Var of f, Delta, the NTK, the loss and the equal-time layer kernels (training point only) in the shape of the
    /// deep linear propagator's series, and the standard error of each entry over the replicas.
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
            NonlinearPropagator propagator = Replica(model, data.InputGram()[0], data.Y[0], experiment.Gamma0, experiment.Eta, experiment.Steps,
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

    private static (Series Mean, Series Error) MeanAndError(List<Series> replicas)
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
    /// Why this propagator does not cover <paramref name="model"/> on <paramref name="data"/> (a kinked activation, more
    /// than one training point), or null when it does; test points are left out of it, not refused.
    /// </summary>
    public static string? CoverageGap(NetworkModel model, Dataset data)
    {
        if (model.Info.Activation.Smoothness != Smoothness.Smooth)
        {
            return $"the deep nonlinear propagator (DESIGN.md 4.5) needs a smooth activation ({model.Name} has a kink, whose terms pathwise derivatives miss, DESIGN.md 4.6)";
        }

        return data.Count == 1
            ? null
            : $"the deep nonlinear propagator (DESIGN.md 4.5) covers one training point (its third-order site jets grow like (P T)^3), the data have {data.Count}";
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

        if (data.Count != 1)
        {
            throw new ExperimentException("data", $"the deep nonlinear propagator covers one training point (test points are left out of it); the data have {data.Count}");
        }

        if (experiment.Steps > MaxSteps)
        {
            throw new ExperimentException("steps", $"the deep nonlinear propagator is dense over ~(4 L - 2) T^2 order parameters and samples ~T^5 moments; at most {MaxSteps} steps, got {experiment.Steps}");
        }

        long bytes = DeepNonlinearPropagator.PeakMemoryBytes(model.HiddenLayers, experiment.Steps);
        if (bytes > MemoryLimitBytes)
        {
            throw new ExperimentException("steps", $"the deep nonlinear propagator needs {bytes >> 20} MiB for L = {model.HiddenLayers}, T = {experiment.Steps} " +
                $"(dense over dim q = {OrderParameterLayout.DimensionOf(model.HiddenLayers, 1, experiment.Steps)}, third-order site jets ~24 T (F T)^3 bytes per thread), " +
                $"above the limit of {MemoryLimitBytes >> 20} MiB; use fewer steps or layers");
        }

        if (experiment.Online)
        {
            throw new ExperimentException("online", "the deep nonlinear propagator covers full-batch training only");
        }
    }

    /// <summary>
    /// One replica: the saddle with seeds (<paramref name="fieldSeed"/>, <paramref name="tangentSeed"/>), then the
    /// propagator around it (with <paramref name="uncoupledToo"/> also solved without J from the same samples).
    /// </summary>
    internal static NonlinearPropagator Replica(NetworkModel model, double inputGram, double y, double gamma0, double eta, int steps, bool centered,
        DeepFluctuationBudget budget, ulong fieldSeed, ulong tangentSeed, bool responseCoupling, bool uncoupledToo, CancellationToken ct)
    {
        var problem = new DeepProblem(model.HiddenLayers, [inputGram], 1, [y], gamma0, eta, steps, centered);
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
