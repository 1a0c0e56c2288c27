using System.Globalization;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Online;

/// <summary>
/// Infinite-width theory of online learning for two-layer networks (DESIGN.md 3.5): population gradient descent (the
/// B -&gt; infinity limit of online SGD with the batch-mean loss) over neuron sites (W, w), the population held by a
/// fixed weighted set of inputs (<see cref="OnlinePopulation"/>), and, with <c>theory.bias</c>, the O(1/N) correction
/// C(t) = N (E L_N - L_inf) of the expected population loss by the delta method on the site measure.
/// </summary>
/// <remarks>
/// The <see cref="TheoryResult"/>: <c>Mean.TestLoss</c> is the population loss L_inf(n) = 1/2 E_x Delta(x)^2
/// (+ sigma^2 / 2 with label noise) on the population set; <c>TestF</c> the outputs on the experiment's fixed test
/// set; <c>F</c>, <c>Delta</c>, <c>Loss</c> (batch mean) and <c>Ntk</c> are the infinite-width network's values on
/// batch n, the very batch the ensemble engine draws at step n, so that they compare entry by entry with ensembles.
/// <c>Nbias</c> (with <c>theory.bias</c>) carries C(n) in <c>TestLoss</c> and <c>Loss</c> and empty F, Delta, Ntk;
/// its standard error is in the method line and from <see cref="Correction"/>.
/// Peak memory per trajectory: 16 S (M_x + 2 B) + 8 S (D + 2) + 8 (T + 1)(1 + P_test + 3 B + B^2) bytes
/// (<see cref="OnlineProblem.PeakBytes"/>); the delta method holds two trajectories of 16 S M_x per thread.
/// </remarks>
internal static class OnlineTheory
{
    /// <summary>Random directions of the delta method when not given.</summary>
    public const int DefaultDirections = 32;

    /// <summary>Population gradient descent for the experiment. See <see cref="Run(Experiment, NetworkModel, Dataset, OnlineGradient, IProgress{double}?, CancellationToken)"/>.</summary>
    /// <param name="experiment">An online experiment with a <c>theory</c> section and gaussian data.</param>
    /// <param name="model">A two-layer model.</param>
    /// <param name="data">The experiment's data (its test set is the fixed test set).</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between steps.</param>
    /// <returns>The infinite-width result; with <c>theory.bias</c>, C(t) as <c>Nbias</c>.</returns>
    public static TheoryResult Run(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct) =>
        Run(experiment, model, data, OnlineGradient.Population, progress, ct);

    /// <summary>The infinite-width online dynamics with the chosen gradient; see the class remarks for what each series holds.</summary>
    /// <param name="experiment">An online experiment with a <c>theory</c> section and gaussian data.</param>
    /// <param name="model">A two-layer model.</param>
    /// <param name="data">The experiment's data (its test set is the fixed test set).</param>
    /// <param name="gradient">Population gradient descent, or SGD on the ensembles' batches.</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between steps.</param>
    /// <returns>The infinite-width result; with <c>theory.bias</c>, C(t) as <c>Nbias</c>.</returns>
    /// <exception cref="ExperimentException">Settings that cannot run, naming the field.</exception>
    public static TheoryResult Run(Experiment experiment, NetworkModel model, Dataset data, OnlineGradient gradient, IProgress<double>? progress, CancellationToken ct)
    {
        (OnlineProblem problem, SiteRule rule, IOnlineIntegrator integrator) = Prepare(experiment, model, data, gradient, recordBatches: true);
        TheorySpec spec = experiment.Theory!;
        (double[] nodes, double[] weights) = OnlineSites.Main(rule);
        int runs = rule.Groups + 1 + (spec.Bias ? 1 : 0);
        OnlineTrace main = integrator.Run(problem, nodes, weights, parallel: true, Stage(progress, 0, runs), ct);
        Series mean = ToSeries(main, data);
        Series error = IntegrationError(rule, integrator, problem, data, progress, runs, ct);
        string method = $"online learning at infinite width (DESIGN.md 3.5): {Describe(gradient, experiment.Batch)}; sites {rule.Description}; {problem.Population.Description}";
        Series? nbias = null;
        if (spec.Bias)
        {
            OnlineCorrection c = OnlineBias.Estimate(integrator, problem, nodes, weights, DefaultDirections, spec.Seed, main.PopulationLoss, Stage(progress, runs - 1, runs), ct);
            nbias = BiasSeries(c);
            method += string.Create(CultureInfo.InvariantCulture, $"; nbias: C(t) = N (E L_N - L_inf) of the population loss by the delta method, {c.Directions} directions, standard error at t = T: {c.StdErr[^1]:G3}");
        }

        progress?.Report(1.0);
        return new TheoryResult(method, rule.ReportedSites, mean, error, Nbias: nbias);
    }

    /// <summary>
    /// The population loss L_inf(n) and its O(1/N) correction C(n) (DESIGN.md 3.5) for the experiment, with
    /// <paramref name="directions"/> random directions of the delta method. L_inf uses <c>theory.sites</c>; C, whose
    /// relative accuracy matters much less than that of L_inf (N (E L_N - L_inf) amplifies an error of L_inf N times),
    /// may use a smaller rule of <paramref name="correctionSites"/> sites.
    /// </summary>
    /// <param name="experiment">An online experiment with a <c>theory</c> section and gaussian data.</param>
    /// <param name="model">A two-layer model.</param>
    /// <param name="gradient">Population gradient descent, or SGD on the ensembles' batches.</param>
    /// <param name="directions">Random directions u (at least 3).</param>
    /// <param name="correctionSites">Sites of the rule for C, or null for <c>theory.sites</c>.</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>L_inf(n) and C(n) with its standard error.</returns>
    public static (double[] PopulationLoss, OnlineCorrection Correction) Correction(
        Experiment experiment, NetworkModel model, OnlineGradient gradient, int directions, int? correctionSites, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        Dataset data = DataFactory.Build(experiment.Data);
        (OnlineProblem problem, SiteRule rule, IOnlineIntegrator integrator) = Prepare(experiment, model, data, gradient, recordBatches: false);
        problem = problem with { TestX = null };
        (double[] nodes, double[] weights) = OnlineSites.Main(rule);
        double[] loss = integrator.Run(problem, nodes, weights, parallel: true, null, ct).PopulationLoss;
        TheorySpec spec = experiment.Theory!;
        if (correctionSites is { } sites && sites != spec.Sites)
        {
            SiteRule smaller = OnlineSites.Build(spec with { Sites = sites }, problem.Population.Dimension);
            (nodes, weights) = OnlineSites.Main(smaller);
            double[] baseLoss = integrator.Run(problem, nodes, weights, parallel: true, null, ct).PopulationLoss;
            return (loss, OnlineBias.Estimate(integrator, problem, nodes, weights, directions, spec.Seed, baseLoss, progress, ct));
        }

        return (loss, OnlineBias.Estimate(integrator, problem, nodes, weights, directions, spec.Seed, loss, progress, ct));
    }

    /// <summary>
    /// The <c>online-learning</c> comparison: for each width N, ensembles of <paramref name="members"/> networks trained
    /// by the engine's online SGD (the experiment's batch size and data seed, so the same batches at every width; the k-th
    /// width with ensemble seed + k, so that the widths are independent checks), their expected population loss
    /// E L_N(n) ± SE on the population set, against L_inf(n) and the prediction L_inf(n) + C(n) / N.
    /// With <see cref="OnlineGradient.EnsembleBatches"/> (the default) L_inf and C come from the infinite-width network
    /// trained on the very batches the ensembles see, which removes the O(1/B) minibatch shift (DESIGN.md 3.5).
    /// </summary>
    /// <param name="experiment">An online two-layer experiment with gaussian data and a <c>theory</c> section (sites, seed).</param>
    /// <param name="model">A two-layer model.</param>
    /// <param name="widths">Widths N, e.g. 32, 64, 128.</param>
    /// <param name="members">Ensemble members per width (at least 2).</param>
    /// <param name="device">Where the ensembles run (not disposed here).</param>
    /// <param name="gradient">What the infinite-width network descends.</param>
    /// <param name="directions">Random directions of the delta method (at least 3).</param>
    /// <param name="correctionSites">Sites of the rule for C, or null for <c>theory.sites</c> (see <see cref="Correction"/>).</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels the work.</param>
    /// <returns>One row per width with the ensembles' and the theory's expected population loss.</returns>
    public static OnlineLossComparison CompareWidths(
        Experiment experiment,
        NetworkModel model,
        IReadOnlyList<int> widths,
        int members,
        Compute.ComputeDevice device,
        OnlineGradient gradient = OnlineGradient.EnsembleBatches,
        int directions = DefaultDirections,
        int? correctionSites = null,
        IProgress<double>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(device);
        if (members < 2)
        {
            throw new ExperimentException("ensemble.members", "at least 2 members are needed for a standard error.");
        }

        int stages = widths.Count + 1;
        (double[] loss, OnlineCorrection c) = Correction(experiment, model, gradient, directions, correctionSites, Stage(progress, 0, stages), ct);
        var gaussian = (GaussianData)experiment.Data;
        var population = OnlinePopulation.Build(gaussian);
        ulong seed = experiment.Ensemble?.Seed ?? 1UL;
        var rows = new List<OnlineWidthRow>();
        foreach (int width in widths)
        {
            // Independent initialisations per width: with one seed the widths share their first neurons' draws and
            // a fluctuation of one ensemble shows up at every width (it did: all three sat 1 SE low at t = 0).
            ulong widthSeed = seed + (ulong)rows.Count;
            (double[] mean, double[] se, int? diverged) = OnlineEnsembleLoss.Run(
                model, gaussian, population, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Batch, width, members, widthSeed, device, Stage(progress, rows.Count + 1, stages), ct);
            double[] predicted = [.. loss.Select((l, n) => l + (c.C[n] / width))];
            double[] predictedSe = [.. c.StdErr.Select(s => s / width)];
            rows.Add(new OnlineWidthRow(width, members, mean, se, predicted, predictedSe, diverged));
        }

        double[] time = [.. Enumerable.Range(0, experiment.Steps + 1).Select(n => n * experiment.Eta)];
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"{Describe(gradient, experiment.Batch)}; {population.Description}; sites {OnlineSites.Build(experiment.Theory!, gaussian.Dimension).Description}; ensembles: online SGD, B = {experiment.Batch}, {members} members per width, seed {seed}; C by the delta method with {c.Directions} directions on {correctionSites ?? experiment.Theory!.Sites} sites");
        progress?.Report(1.0);
        return new OnlineLossComparison(time, gradient, loss, c, rows, description);
    }

    internal static (OnlineProblem Problem, SiteRule Rule, IOnlineIntegrator Integrator) Prepare(
        Experiment experiment, NetworkModel model, Dataset data, OnlineGradient gradient, bool recordBatches)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        TheorySpec spec = experiment.Theory ?? throw new ExperimentException("theory", "missing; add a \"theory\" section to run the infinite-width theory.");
        if (experiment.Data is not GaussianData gaussian)
        {
            throw new ExperimentException("data", "online learning draws fresh samples from the data distribution, which needs gaussian data.");
        }

        if (model.HiddenLayers != 1)
        {
            throw new ExperimentException("model", $"the online-learning theory (DESIGN.md 3.5) is for two-layer networks; {model.Name} has {model.HiddenLayers} hidden layers.");
        }

        if (experiment.Centered)
        {
            throw new ExperimentException("centered", "centered online learning is not defined here (f(theta_0) would be needed on every fresh input); set \"centered\": false.");
        }

        if (spec.Fluctuations)
        {
            throw new ExperimentException("theory.fluctuations", "the online-learning theory reports the O(1/N) loss correction (theory.bias), not the propagator; set theory.fluctuations to false.");
        }

        bool batches = recordBatches || gradient == OnlineGradient.EnsembleBatches;
        if (batches && experiment.Batch < 1)
        {
            throw new ExperimentException("batch", "online learning needs a batch size of at least 1.");
        }

        var population = OnlinePopulation.Build(gaussian);
        var problem = new OnlineProblem(
            population,
            experiment.Gamma0,
            experiment.Eta,
            experiment.Steps,
            gradient,
            batches ? BatchSequence.Draw(gaussian, experiment.Batch, experiment.Steps) : null,
            data.TestCount > 0 ? data.TestX : null,
            recordBatches);
        SiteRule rule = OnlineSites.Build(spec, gaussian.Dimension);
        long bytes = problem.PeakBytes(rule.Count) + (spec.Bias ? 2L * Environment.ProcessorCount * problem.PeakBytes(rule.Count) : 0);
        if (bytes > OnlineProblem.LimitBytes)
        {
            throw new ExperimentException(
                "theory.sites",
                string.Create(CultureInfo.InvariantCulture, $"the online-learning theory would need {bytes / (double)(1L << 30):F2} GiB ({rule.Count} sites, M_x = {population.Count}, B = {experiment.Batch}, T = {experiment.Steps}) but at most {OnlineProblem.LimitBytes / (double)(1L << 30):F0} GiB may be used; lower theory.sites, batch or steps."));
        }

        return (problem, rule, model.Accept(new OnlineIntegratorFactory()));
    }

    private static string Describe(OnlineGradient gradient, int batch) => gradient == OnlineGradient.Population
        ? "population gradient descent (B -> infinity)"
        : $"infinite-width SGD on the ensembles' batches (B = {batch}, same data seed)";

    /// <summary>Integration error: the replicate groups' spread / sqrt(R).</summary>
    private static Series IntegrationError(SiteRule rule, IOnlineIntegrator integrator, OnlineProblem problem, Dataset data, IProgress<double>? progress, int runs, CancellationToken ct)
    {
        // The pooled measure is stage 0; the replicate groups run after it.
        Series[] groups = new Series[rule.Groups];
        for (int g = 0; g < rule.Groups; g++)
        {
            (double[] nodes, double[] weights) = OnlineSites.Group(rule, g);
            groups[g] = ToSeries(integrator.Run(problem, nodes, weights, parallel: true, Stage(progress, g + 1, runs), ct), data);
        }

        Series mean = groups.Skip(1).Aggregate(groups[0], (a, b) => SeriesMath.Combine(a, b, (x, y) => x + y));
        mean = SeriesMath.Combine(mean, mean, (x, _) => x / groups.Length);
        Series squares = groups
            .Select(g => SeriesMath.Combine(g, mean, (x, m) => (x - m) * (x - m)))
            .Aggregate((a, b) => SeriesMath.Combine(a, b, (x, y) => x + y));
        int r = groups.Length;
        return SeriesMath.Combine(squares, squares, (s, _) => Math.Sqrt(s / (r - 1) / r));
    }

    private static Series ToSeries(OnlineTrace trace, Dataset data) => new(
        trace.BatchF!,
        trace.BatchDelta!,
        trace.BatchNtk!,
        trace.BatchLoss!,
        data.TestCount > 0 ? trace.TestF : null,
        TestLoss: trace.PopulationLoss);

    private static Series BiasSeries(OnlineCorrection c)
    {
        int count = c.C.Length;
        double[][] empty = [.. Enumerable.Range(0, count).Select(_ => Array.Empty<double>())];
        double[][][] emptyNtk = [.. Enumerable.Range(0, count).Select(_ => Array.Empty<double[]>())];
        return new Series(empty, empty, emptyNtk, (double[])c.C.Clone(), TestLoss: (double[])c.C.Clone());
    }

    private static IProgress<double>? Stage(IProgress<double>? progress, int index, int count) =>
        progress is null ? null : new StageProgress(progress, index, count);

    private sealed class StageProgress(IProgress<double> inner, int index, int count) : IProgress<double>
    {
        public void Report(double value) => inner.Report((index + Math.Clamp(value, 0.0, 1.0)) / count);
    }
}
