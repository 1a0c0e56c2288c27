using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.Lazy;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Results;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.Lazy;
using FieldTheory.Theory.Online;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory;

/// <summary>
/// The entry point of the infinite-width theory (DESIGN.md section 3): picks the solver for the model's depth and the
/// experiment's gamma0, runs it, and returns the <see cref="TheoryResult"/> with its integration error.
/// <list type="bullet">
/// <item>Online experiments: the online-learning theory of 3.5 (<see cref="OnlineTheory"/>).</item>
/// <item>L = 1: exact forward integration over sites (3.1), integration method from <c>theory.integration</c>.</item>
/// <item>L &gt; 1 with gamma0 &lt;= <see cref="LazyGamma0"/>: the lazy limit, static NNGP/NTK kernels (3.4).</item>
/// <item>L &gt; 1, phi(h) = h: the closed deep linear equations (3.3).</item>
/// <item>L &gt; 1 otherwise: the sampled single-site process with response functions (3.2).</item>
/// </list>
/// </summary>
internal static class TheoryRunner
{
    /// <summary>Largest gamma0 at which a deep network is treated in the lazy limit (its O(gamma0^2) feature learning neglected).</summary>
    public const double LazyGamma0 = 1e-3;

    /// <summary>Gauss-Legendre nodes per piece of the lazy-limit quadrature, and the coarser order of its error estimate.</summary>
    private const int LazyOrder = 24;
    private const int LazyCoarseOrder = 16;

    /// <summary>Solves the experiment's theory on the CPU accelerator. See <see cref="Run(Experiment, NetworkModel, Dataset, ComputeDevice, IProgress{double}, CancellationToken)"/>.</summary>
    /// <param name="experiment">The experiment; its <c>theory</c> section must be present.</param>
    /// <param name="model">The compiled model named by the experiment.</param>
    /// <param name="data">The experiment's data.</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between time steps.</param>
    /// <returns>The infinite-width series, their integration error, and two-time kernels when requested.</returns>
    /// <exception cref="ExperimentException">Settings that cannot run, naming the field.</exception>
    public static TheoryResult Run(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct)
    {
        if (experiment.Online)
        {
            return OnlineTheory.Run(experiment, model, data, progress, ct);
        }

        Validate(experiment, model);
        if (model.HiddenLayers > 1)
        {
            return Run(experiment, model, data, device: null!, progress, ct);
        }

        using ComputeDevice device = ComputeDevice.Create("cpu");
        return Run(experiment, model, data, device, progress, ct);
    }

    /// <summary>Solves the experiment's theory, running site kernels on <paramref name="device"/>.</summary>
    /// <param name="experiment">The experiment; its <c>theory</c> section must be present.</param>
    /// <param name="model">The compiled model named by the experiment.</param>
    /// <param name="data">The experiment's data.</param>
    /// <param name="device">Where the site kernels run (not disposed here).</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between time steps.</param>
    /// <returns>The infinite-width series, their integration error, and two-time kernels when requested.</returns>
    /// <exception cref="ExperimentException">Settings that cannot run, naming the field.</exception>
    public static TheoryResult Run(Experiment experiment, NetworkModel model, Dataset data, ComputeDevice device, IProgress<double>? progress, CancellationToken ct)
    {
        if (experiment.Online)
        {
            return OnlineTheory.Run(experiment, model, data, progress, ct);
        }

        Validate(experiment, model);
        TheoryResult result = model.HiddenLayers switch
        {
            1 => TwoLayer(experiment, model, data, device, threads: null, progress, ct),
            _ when experiment.Gamma0 <= LazyGamma0 => DeepLazy(experiment, model, data, ct),
            _ when IsIdentity(model) => DeepLinear(experiment, model, data, progress, ct),
            _ => Deep(experiment, model, data, device, progress, ct),
        };
        progress?.Report(1.0);
        return result;
    }

    /// <summary>
    /// The lazy limit for any depth (DESIGN.md 3.4): static NNGP/NTK kernels, closed forms for the model's
    /// <see cref="GaussianFamily"/> and composite quadrature otherwise (with a two-resolution error), and discrete
    /// kernel-regression dynamics with the experiment's eta.
    /// </summary>
    /// <param name="experiment">The experiment (gamma0 is not used: the limit gamma0 -> 0).</param>
    /// <param name="model">The model.</param>
    /// <param name="data">The data.</param>
    /// <returns>The lazy-limit result.</returns>
    public static TheoryResult Lazy(Experiment experiment, NetworkModel model, Dataset data) =>
        Lazy(experiment, model, data, PairExpectation.ClosedForm(model.Info.Activation));

    internal static TheoryResult Lazy(Experiment experiment, NetworkModel model, Dataset data, PairExpectation? closedForm) =>
        Lazy(experiment, model, data, closedForm, out _);

    /// <summary>As <see cref="Lazy(Experiment, NetworkModel, Dataset)"/>, with the kernels behind the result.</summary>
    internal static TheoryResult Lazy(Experiment experiment, NetworkModel model, Dataset data, PairExpectation? closedForm, out LazyKernels kernels)
    {
        double[] gram = data.InputGram();
        int q = data.Count + data.TestCount;
        bool twoTime = experiment.Theory?.Kernels ?? false;
        Series Solve(PairExpectation expectation, out LazyKernels computed)
        {
            computed = LazyKernels.Compute(gram, q, model.HiddenLayers, expectation);
            return LazySolver.Solve(computed, data.Count, data.Y, experiment.Eta, experiment.Steps);
        }

        Series mean;
        Series? error = null;
        LazyKernels used;
        string method;
        if (closedForm is not null)
        {
            mean = Solve(closedForm, out used);
            method = $"lazy limit (DESIGN.md 3.4), static NNGP/NTK kernels by {closedForm.Name}";
        }
        else
        {
            var fine = new QuadratureExpectation(model, LazyOrder);
            mean = Solve(fine, out used);
            error = SeriesMath.Combine(mean, Solve(new QuadratureExpectation(model, LazyCoarseOrder), out _), (a, b) => Math.Abs(a - b));
            method = $"lazy limit (DESIGN.md 3.4), static NNGP/NTK kernels by {fine.Name} (error: difference from {LazyCoarseOrder} nodes)";
        }

        kernels = used;
        TwoTimeKernels? kernelsOut = twoTime ? StaticTwoTime(used, data.Count, experiment.Steps) : null;
        return new TheoryResult(method, 0, mean, error, Kernels: kernelsOut);
    }

    /// <summary>phi(h) = h exactly: deep networks then have the closed algebraic equations of DESIGN.md 3.3.</summary>
    internal static bool IsIdentity(NetworkModel model) =>
        model.Info.Activation.Family == GaussianFamily.Linear
        && model.Info.Activation.FamilyParameters is [0.0, 1.0];

    /// <summary>Deep linear networks: the closed equations of DESIGN.md 3.3, marched in time; exact, no sampling.</summary>
    internal static TheoryResult DeepLinear(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct)
    {
        DeepTrajectory trajectory = DeepLinearSolver.Solve(
            model.HiddenLayers, data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, ct, progress);
        TheoryResult result = trajectory.ToTheoryResult(
            "deep linear closed equations (DESIGN.md 3.3), marched in time; exact (no sampling)",
            sites: 0,
            experiment.Theory!.Kernels);
        var gaps = new List<string>();
        if (experiment.Theory.Bias)
        {
            gaps.Add(DeepBiasGap);
        }

        if (!experiment.Theory.Fluctuations)
        {
            return result with { Unavailable = gaps.Count > 0 ? gaps : null };
        }

        // DESIGN.md 4.5: Sigma = Sigma0 (I - J Sigma0)^-1 over kernels, response order parameters and f of the training
        // points (test points do not enter the training dynamics); test predictions by linearity in the input.
        Fluctuations.DeepLinear.DeepLinearFluctuations fluctuations = Fluctuations.DeepLinear.DeepLinearPropagator.Compute(
            model.HiddenLayers, data.TrainingGram(), data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, ct: ct);
        Series nvar = fluctuations.ToNvarSeries();
        if (data.TestCount > 0)
        {
            nvar = nvar with { TestF = Fluctuations.DeepLinear.TestPredictionVariance.Of(fluctuations, data.InputGram(), data.Count, data.TestCount, experiment.Gamma0) };
        }

        return result with
        {
            Method = result.Method + "; N Var from the deep linear propagator (DESIGN.md 4.5)" + (data.TestCount > 0 ? ", test predictions by linearity in the input" : string.Empty),
            Nvar = nvar,
            Unavailable = gaps.Count > 0 ? gaps : null,
        };
    }

    /// <summary>
    /// Deep nonlinear networks: the single-site process with response functions (DESIGN.md 3.2), one-pass causal
    /// march, <c>theory.sites</c> field samples per layer; the error combines field and tangent sampling. With
    /// <c>theory.fluctuations</c> (two or more hidden layers; test predictions as observable rows), N Var from the sampled deep nonlinear
    /// propagator (DESIGN.md 4.5), with its standard error over independent replicas as <c>nvarIntegrationError</c>.
    /// The per-sample work runs in ILGPU kernels when <paramref name="device"/> is a GPU and on the host's Parallel.For
    /// otherwise (null included), as the two-layer solver chooses (docs/deep-theory-ilgpu.md).
    /// </summary>
    internal static TheoryResult Deep(Experiment experiment, NetworkModel model, Dataset data, ComputeDevice? device, IProgress<double>? progress, CancellationToken ct)
    {
        TheorySpec spec = experiment.Theory!;
        var gaps = new List<string>();
        if (spec.Bias)
        {
            gaps.Add(DeepBiasGap);
        }

        string? notCovered = spec.Fluctuations ? Fluctuations.DeepNonlinear.DeepNonlinearFluctuations.CoverageGap(model, data) : null;
        bool fluctuations = spec.Fluctuations && notCovered is null;
        if (notCovered is not null)
        {
            gaps.Add($"nvar: {notCovered}; N Var comes from the ensembles only");
        }
        else if (fluctuations)
        {
            // Refuse settings beyond the propagator's budget (steps, memory) before the saddle runs.
            Fluctuations.DeepNonlinear.DeepNonlinearFluctuations.Validate(experiment, model, data);
        }

        DeepResult result = DeepSolver.Solve(
            model, data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered,
            spec.Sites, spec.Seed, options: null, fluctuations ? Half(progress, 0) : progress, ct, device);
        TheoryResult theory = result.ToTheoryResult(spec.Kernels) with { Unavailable = gaps.Count > 0 ? gaps : null };
        if (!fluctuations)
        {
            return theory;
        }

        (Series nvar, Series nvarError) = Fluctuations.DeepNonlinear.DeepNonlinearFluctuations.Compute(experiment, model, data, Half(progress, 1), ct);
        return theory with
        {
            Method = theory.Method + $"; N Var from the deep nonlinear propagator (DESIGN.md 4.5)" + (data.TestCount > 0 ? ", test predictions as observable rows" : string.Empty) +
                $", mean of {Fluctuations.DeepNonlinear.DeepNonlinearFluctuations.ReplicaCount} independent replicas (error: their standard error)",
            Nvar = nvar,
            NvarIntegrationError = nvarError,
        };
    }

    private const string DeepBiasGap = "nbias: the O(1/N) mean shift (DESIGN.md 4.3) is computed for two-layer networks; for deeper ones it comes from the ensembles only (compare ensemble means at two widths)";

    /// <summary>
    /// A deep network in the lazy limit (gamma0 &lt;= <see cref="LazyGamma0"/>): the static kernels of DESIGN.md 3.4 and,
    /// with <c>theory.fluctuations</c>, the universal lazy form of DESIGN.md 4.4 where <see cref="DeepLazyFluctuations"/>
    /// covers the model; what it cannot give is listed in <see cref="TheoryResult.Unavailable"/>.
    /// </summary>
    internal static TheoryResult DeepLazy(Experiment experiment, NetworkModel model, Dataset data, CancellationToken ct)
    {
        TheorySpec spec = experiment.Theory!;
        TheoryResult result = Lazy(experiment, model, data, PairExpectation.ClosedForm(model.Info.Activation), out LazyKernels kernels);
        var gaps = new List<string>();
        string? notCovered = spec.Fluctuations ? DeepLazyFluctuations.CoverageGap(experiment, model, data) : null;
        if (notCovered is not null)
        {
            gaps.Add($"nvar: {notCovered}; N Var comes from the ensembles only");
        }
        else if (spec.Fluctuations)
        {
            (Series nvar, Series? error) = DeepLazyFluctuations.Compute(experiment, model, data, kernels, ct);
            string source = IsIdentity(model)
                ? "the deep linear propagator at n = 0 (DESIGN.md 4.5; exact)"
                : $"the deep nonlinear propagator at n = 0 (DESIGN.md 4.5), mean of {Fluctuations.DeepNonlinear.DeepNonlinearFluctuations.ReplicaCount} replicas (error: their standard error)";
            result = result with
            {
                Method = result.Method + $"; N Var from the universal lazy form (DESIGN.md 4.4) with N Cov of the initial NTK from {source}",
                Nvar = nvar,
                NvarIntegrationError = error,
            };
        }

        if (spec.Bias)
        {
            gaps.Add(DeepBiasGap);
        }

        return result with { Unavailable = gaps.Count > 0 ? gaps : null };
    }

    internal static TheoryResult TwoLayer(Experiment experiment, NetworkModel model, Dataset data, ComputeDevice device, int? threads, IProgress<double>? progress, CancellationToken ct)
    {
        TheorySpec spec = experiment.Theory!;
        var problem = new TwoLayerProblem(data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, spec.Kernels);
        (IntegrationMethod method, int dimension) = ChooseMethod(spec, problem);
        (long sites, int groups, long chunks) = RulePlan(method, spec.Sites, dimension);
        long bytes = TwoLayerMemory.PeakBytes(sites, dimension, problem.Points, problem.Train, problem.Steps, groups, chunks, problem.RecordTwoTime);
        if (bytes > TwoLayerMemory.LimitBytes)
        {
            throw new ExperimentException(
                spec.Kernels ? "theory.kernels" : "theory.sites",
                $"the two-layer solver would need {bytes / (double)(1 << 30):F2} GiB ({sites} sites, {problem.Points} points, {problem.Steps} steps{(spec.Kernels ? ", two-time kernels" : string.Empty)}) but at most {TwoLayerMemory.LimitBytes / (double)(1 << 30):F2} GiB may be used; lower theory.sites or steps{(spec.Kernels ? ", or set theory.kernels to false" : string.Empty)}.");
        }

        SiteRule rule = FoldIfOdd(BuildRule(method, spec, dimension), model);
        ITwoLayerSolver solver = model.Accept(new TwoLayerSolverFactory(device));
        bool fluctuations = spec.Fluctuations || spec.Bias;
        TwoLayerSolution solution = solver.Solve(problem, rule, threads, fluctuations ? Half(progress, 0) : progress, ct);
        (Series? nvar, Series? nvarError, Series? nbias, string? computation, string? fluctuationRule) = fluctuations
            ? TwoLayerFluctuations.Compute(experiment, model, data, Half(progress, 1), ct)
            : (null, null, null, null, null);

        // The fluctuations name their own site rule only where it differs from the mean's (QMC for a kinked phi).
        string fluctuationLine = computation is null
            ? string.Empty
            : $"; N Var{(nbias is null ? string.Empty : " and N bias")} by the {computation}{(fluctuationRule == rule.Description ? string.Empty : $" on {fluctuationRule}")}";
        return new TheoryResult(
            $"two-layer forward integration (DESIGN.md 3.1), {rule.Description}; {solver.Backend}{fluctuationLine}",
            rule.ReportedSites,
            solution.Mean,
            solution.Error,
            Nvar: spec.Fluctuations ? nvar : null,
            Nbias: nbias,
            Kernels: solution.Kernels,
            NvarIntegrationError: spec.Fluctuations ? nvarError : null);
    }

    /// <summary>
    /// The integration method (<see cref="SiteRuleChoice"/>) and the Gaussian's dimension d = rank(K^x) + 1. Checks
    /// that the site count suits the method.
    /// </summary>
    internal static (IntegrationMethod Method, int Dimension) ChooseMethod(TheorySpec spec, TwoLayerProblem problem)
    {
        (_, int rank) = InputFactor.Of(problem.InputGram, problem.Points);
        int d = rank + 1;
        return (SiteRuleChoice.Method(spec, d, "rank of K^x + 1"), d);
    }

    /// <summary>Total sites, groups and chunks the rule for these settings will have (for the memory check).</summary>
    internal static (long Sites, int Groups, long Chunks) RulePlan(IntegrationMethod method, int sites, int dimension)
    {
        long perGroup = method switch
        {
            IntegrationMethod.Quadrature => (long)Math.Pow(SiteRules.GridOrder(sites / SiteRules.Replicates, dimension), dimension),
            IntegrationMethod.Qmc => sites / SiteRules.Replicates / SiteRules.HaltonOrbit(dimension) * SiteRules.HaltonOrbit(dimension),
            _ => sites / SiteRules.Replicates / 2 * 2,
        };
        long[] groupSizes = Enumerable.Repeat(perGroup, SiteRules.Replicates).ToArray();

        long chunks = groupSizes.Sum(s => (s + TwoLayerMemory.ChunkSize - 1) / TwoLayerMemory.ChunkSize);
        return (groupSizes.Sum(), groupSizes.Length, chunks);
    }

    /// <summary>The site rule for a method chosen by <see cref="ChooseMethod"/>.</summary>
    internal static SiteRule BuildRule(IntegrationMethod method, TheorySpec spec, int dimension) => SiteRuleChoice.Build(method, spec, dimension);

    /// <summary>
    /// Two-layer sites: for an odd phi and a rule made of mirror pairs, one node per pair (<see cref="MirrorFolding"/>);
    /// the same sums at half the work.
    /// </summary>
    internal static SiteRule FoldIfOdd(SiteRule rule, NetworkModel model) => MirrorFolding.IsOdd(model) ? MirrorFolding.Fold(rule) : rule;

    private static void Validate(Experiment experiment, NetworkModel model)
    {
        if (experiment.Theory is null)
        {
            throw new ExperimentException("theory", "missing; add a \"theory\" section to run the infinite-width theory.");
        }

        if (model.HiddenLayers < 1)
        {
            throw new ExperimentException("model", $"{model.Name} has {model.HiddenLayers} hidden layers; at least 1 is needed.");
        }
    }

    private static IProgress<double>? Half(IProgress<double>? progress, int half) =>
        progress is null ? null : new Progress(value => progress.Report((half + Math.Clamp(value, 0.0, 1.0)) / 2.0));

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private static TwoTimeKernels StaticTwoTime(LazyKernels kernels, int train, int steps)
    {
        double[][][][] Constant(double[] k)
        {
            double[][] block = LazySolver.Block(k, kernels.Points, 0, train, 0, train);
            double[][][] row = Enumerable.Repeat(block, steps + 1).ToArray();
            return Enumerable.Repeat(row, steps + 1).ToArray();
        }

        return new TwoTimeKernels([.. kernels.Phi.Select(Constant)], [.. kernels.G.Select(Constant)]);
    }
}
