using FieldTheory.Compute;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>How the sensitivities D are obtained (DESIGN.md 4.6).</summary>
internal enum SensitivityMethod
{
    /// <summary>Smooth phi: pathwise forward-mode tangents; piecewise phi: tangents plus the kink term by finite differences.</summary>
    Auto,

    /// <summary>Pathwise forward-mode tangents only (drops the kink term of a piecewise phi).</summary>
    Pathwise,

    /// <summary>Central finite differences of the site average with common random numbers (kink term included).</summary>
    FiniteDifference,
}

/// <summary>Options of <see cref="FluctuationSolver"/>.</summary>
/// <param name="Bias">Also compute the O(1/N) mean shift (DESIGN.md 4.3).</param>
/// <param name="DropFeedback">Set D to zero (the kappa-only diagnostic that must fail, DESIGN.md 4.1).</param>
/// <param name="Sensitivity">How D is computed.</param>
/// <param name="KernelEvery">NTK and feature-kernel rows every this many steps (and at the last).</param>
/// <param name="AdjointSteps">Non-null: the matrix-free path (<see cref="AdjointVariance"/>) at these steps instead of the dense propagator.</param>
internal sealed record FluctuationOptions(bool Bias = false, bool DropFeedback = false, SensitivityMethod Sensitivity = SensitivityMethod.Auto, int KernelEvery = 1, int[]? AdjointSteps = null);

/// <summary>The fluctuations of a two-layer network with their integration error.</summary>
/// <param name="Mean">The infinite-width series of the same sites (the saddle point the propagator expands around).</param>
/// <param name="Nvar">N Var of every observable.</param>
/// <param name="NvarError">Integration error of <paramref name="Nvar"/> (from the rule's groups).</param>
/// <param name="Nbias">N times the O(1/N) mean shift, when requested.</param>
/// <param name="NbiasError">Integration error of <paramref name="Nbias"/>.</param>
/// <param name="CovDelta">N Cov(Delta_a(m), Delta_b(m')), C x C with C = (T + 1) P, index m P + a.</param>
/// <param name="Computation">How the fluctuations were computed: propagator or adjoint path, sensitivities.</param>
/// <param name="Rule">The site rule's description (sites, error estimate).</param>
internal sealed record FluctuationResult(Series Mean, Series Nvar, Series NvarError, Series? Nbias, Series? NbiasError, double[] CovDelta, string Computation, string Rule)
{
    /// <summary>One line: computation, sites and error estimate.</summary>
    public string Method => $"{Computation}; {Rule}";
}

/// <summary>
/// The reduced exact fluctuation theory of two-layer networks (DESIGN.md 4.2, 4.3) for one site rule: each group of
/// the rule is an independent estimate (its own Delta trajectory, moments and propagator) and the groups combine as the
/// rule says (fine grid with |fine - coarse| for quadrature, mean and standard error for replicates).
/// Peak memory: <see cref="FluctuationMemory.PeakBytes"/>.
/// </summary>
internal static class FluctuationSolver
{
    /// <summary>Solves <paramref name="problem"/> for <paramref name="model"/> over <paramref name="rule"/>.</summary>
    public static FluctuationResult Solve(NetworkModel model, TwoLayerProblem problem, SiteRule rule, FluctuationOptions options, IProgress<double>? progress, CancellationToken ct) =>
        model.Accept(new Visitor(model, problem, rule, options, progress, ct));

    private sealed class Visitor(NetworkModel model, TwoLayerProblem problem, SiteRule rule, FluctuationOptions options, IProgress<double>? progress, CancellationToken ct)
        : INetworkModelVisitor<FluctuationResult>
    {
        public FluctuationResult Visit<TActivation>(NetworkModel<TActivation> typed)
            where TActivation : struct, IActivation => Solve<TActivation>(model, problem, rule, options, progress, ct);
    }

    private static FluctuationResult Solve<TActivation>(NetworkModel model, TwoLayerProblem problem, SiteRule rule, FluctuationOptions options, IProgress<double>? progress, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        var system = new SiteSystem(problem, rule, options.KernelEvery);
        ObservableLayout layout = system.Layout;
        SensitivityMethod method = options.Sensitivity == SensitivityMethod.Auto
            ? model.Info.Activation.Smoothness == Smoothness.Smooth ? SensitivityMethod.Pathwise : SensitivityMethod.FiniteDifference
            : options.Sensitivity;
        var means = new List<Series>();
        var variances = new List<Series>();
        var biases = new List<Series>();
        var covariances = new List<double[]>();
        var sensitivityLanes = new SensitivityLanes();
        long factoredBlocks = 0, replayedBlocks = 0;
        var adjointBuffers = new AdjointVariance.Buffers();
        var rowBuffers = new RowVarianceBuffers();

        // The saddle point of every group at once, by the infinite-width solver (DESIGN.md 3.1): each group's Delta(n).
        var saddle = new TwoLayerCpuSolver<TActivation>(LaneActivation<TActivation>.For(model))
            .Solve(problem with { RecordTwoTime = false }, rule, threads: null, progress: null, ct);
        for (int g = 0; g < rule.Groups; g++)
        {
            int first = rule.GroupStart[g];
            int last = rule.GroupStart[g + 1];
            double[] delta = saddle.GroupDeltas![g];
            if (options.AdjointSteps is { } chosen)
            {
                double[][] adjoint = AdjointVariance.Solve<TActivation>(system, first, last, delta, chosen, adjointBuffers, ct);
                means.Add(FluctuationSeries.MeanOfDelta(layout, delta, problem));
                variances.Add(FluctuationSeries.AtChosenSteps(layout, adjoint, problem));
                progress?.Report((g + 1.0) / rule.Groups);
                continue;
            }

            // The site pass is most of a group's work; the fraction done moves the progress within the group.
            int group = g;
            SiteMoments moments = SensitivityPass.Run<TActivation>(system, first, last, delta, sensitivityLanes, ct, simdActivation: true,
                fraction => progress?.Report((group + (0.9 * fraction)) / rule.Groups));
            factoredBlocks += moments.FactoredBlocks;
            replayedBlocks += moments.ReplayedBlocks;
            if (method == SensitivityMethod.FiniteDifference)
            {
                FiniteDifferenceSensitivity.Replace<TActivation>(system, first, last, delta, moments, ct);
            }

            var propagator = new Propagator(layout, moments, options.DropFeedback);
            double[] rowVariances = propagator.RowVariances(rowBuffers);
            means.Add(FluctuationSeries.Build(layout, delta, moments.Mean, problem, mean: true));
            variances.Add(FluctuationSeries.Build(layout, delta, rowVariances, problem, mean: false, propagator.Sigma));
            covariances.Add(propagator.Sigma);
            if (options.Bias)
            {
                double[] shift = MeanShift.Compute<TActivation>(system, first, last, delta, moments, propagator, ct);
                biases.Add(FluctuationSeries.BuildShift(layout, delta, shift, propagator.Sigma, problem));
            }

            progress?.Report((g + 1.0) / rule.Groups);
        }

        (Series mean, _) = SeriesVector.Combine(rule, means);
        (Series nvar, Series nvarError) = SeriesVector.Combine(rule, variances);
        (Series? nbias, Series? nbiasError) = options.Bias ? SeriesVector.Combine(rule, biases) : (null, null);
        if (options.AdjointSteps is { } steps)
        {
            return new FluctuationResult(
                mean,
                nvar,
                nvarError,
                null,
                null,
                [],
                $"matrix-free adjoint N Var (DESIGN.md 4.1, 4.2) of f, Delta, test outputs and the loss at steps {string.Join(", ", steps.Order())} (NaN elsewhere and for the kernels)",
                rule.Description);
        }

        double[] cov = CombineMatrices(rule, covariances);
        string form = (factoredBlocks, replayedBlocks) switch
        {
            (0, _) => string.Empty,
            (_, 0) => " in factored form (transfer matrices)",
            _ => $" in factored form (transfer matrices) for {factoredBlocks} of {factoredBlocks + replayedBlocks} blocks of sites, the others replayed (too badly conditioned to factor)",
        };
        string sensitivities = method == SensitivityMethod.Pathwise
            ? $"pathwise forward-mode tangents{form}"
            : "finite differences of the site average with common random numbers (kink term included)";
        return new FluctuationResult(
            mean,
            nvar,
            nvarError,
            nbias,
            nbiasError,
            cov,
            $"reduced two-layer propagator (DESIGN.md 4.2{(options.Bias ? ", 4.3" : string.Empty)}), D by {sensitivities}{(options.DropFeedback ? ", D SET TO ZERO (kappa-only diagnostic)" : string.Empty)}",
            rule.Description);
    }

    private static double[] CombineMatrices(SiteRule rule, List<double[]> perGroup)
    {
        var combined = new double[perGroup[0].Length];
        var values = new double[perGroup.Count];
        for (int k = 0; k < combined.Length; k++)
        {
            for (int g = 0; g < values.Length; g++)
            {
                values[g] = perGroup[g][k];
            }

            combined[k] = rule.Combine(values).Estimate;
        }

        return combined;
    }
}
