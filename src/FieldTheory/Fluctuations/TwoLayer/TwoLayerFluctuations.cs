using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Finite-width fluctuations of two-layer networks (DESIGN.md 4.2, 4.3): the reduced exact propagator
/// N Cov(Delta) = (I + D_f)^-1 kappa_f (I + D_f)^-T with kappa_f the site covariance of O_f = w phi(h) / gamma0
/// (centered: minus its initial value) and D_f its causal sensitivity to Delta by forward-mode tangents; N Var of the
/// NTK entries, the feature kernel, test predictions and the loss through B = D_O (I + D_f)^-1; and the O(1/N) mean
/// shift by the second-order delta method. Sites, integration rule and seed come from the experiment's
/// <c>theory</c> section, exactly as for the infinite-width solver.
/// <para>
/// Smooth nonlinearities use pathwise tangents. Piecewise ones (ReLU) obtain D by central finite differences of the
/// site average with common random numbers, which include the kink term pathwise tangents drop (DESIGN.md 4.6), on
/// quasi-Monte Carlo sites (<c>auto</c> picks them; a product grid is refused, being too sparse at the kink); their
/// mean shift is not available (it would need the kink's second-order terms).
/// </para>
/// <para>
/// Peak memory (<see cref="FluctuationMemory.PeakBytes"/>): O(S Q + R C + C^2) doubles when the site state is small
/// enough to factor the sensitivities (Q + 1 &lt;= 4, <see cref="FactoredSensitivityPass"/>), O(S Q + L R C + C^2)
/// otherwise, with S sites, Q = P + P_test, C = (T + 1) P order parameters, R = (T + 1) Q + K P (P + 1) observables (K
/// kernel steps, all T + 1 unless theory.kernelFluctuationsEvery thins them) and L = 8 lanes; runs above half the
/// available memory (at most 16 GiB) are refused with an <see cref="ExperimentException"/>. Work is O(S R C Q) factored
/// (blocked products), O(S T (C Q P + R C)) replayed.
/// </para>
/// </summary>
internal static class TwoLayerFluctuations
{
    /// <summary>
    /// N Var (<c>theory.nvar</c>) and, when <c>theory.bias</c> is set, N times the O(1/N) mean shift
    /// (<c>theory.nbias</c>) of every series of a two-layer experiment, with the same names as the ensemble's.
    /// </summary>
    /// <param name="experiment">The experiment; its <c>theory</c> section must be present and the model must have one hidden layer.</param>
    /// <param name="model">The compiled model.</param>
    /// <param name="data">The experiment's data.</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between sites.</param>
    /// <returns>N Var of f, Delta, the NTK entries, the loss, test outputs and Phi(n, n); its integration error (the site
    /// rule's group estimate); the mean shift or null; how they were computed, and on which site rule.</returns>
    /// <exception cref="ExperimentException">Unsupported settings or a problem too large for memory, naming the field.</exception>
    public static (Series Nvar, Series NvarError, Series? Nbias, string Computation, string Rule) Compute(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct)
    {
        FluctuationResult result = Solve(experiment, model, data, Options(experiment), progress, ct);
        return (result.Nvar, result.NvarError, result.Nbias, result.Computation, result.Rule);
    }

    /// <summary>The options the experiment's theory section asks for.</summary>
    internal static FluctuationOptions Options(Experiment experiment)
    {
        TheorySpec? spec = experiment.Theory;
        int[]? adjointSteps = spec?.FluctuationMethod != FluctuationMethod.Adjoint
            ? null
            : spec.AdjointSteps ?? [.. Enumerable.Range(0, 11).Select(k => (int)Math.Round(k * experiment.Steps / 10.0)).Distinct()];
        return new FluctuationOptions(Bias: spec?.Bias ?? false, KernelEvery: spec?.KernelFluctuationsEvery ?? 1, AdjointSteps: adjointSteps);
    }

    /// <summary>
    /// N Cov(Delta_a(n), Delta_b(m)) over all pairs of steps: [n P + a][m P + b], n, m = 0..T (DESIGN.md 4.2). Same
    /// settings, memory and refusals as <see cref="Compute"/>.
    /// </summary>
    /// <param name="experiment">The experiment; its <c>theory</c> section must be present and the model must have one hidden layer.</param>
    /// <param name="model">The compiled model.</param>
    /// <param name="data">The experiment's data.</param>
    /// <param name="progress">Receives the fraction done, 0..1.</param>
    /// <param name="ct">Cancels between sites.</param>
    /// <returns>The (T + 1) P x (T + 1) P covariance, time-major.</returns>
    /// <exception cref="ExperimentException">Unsupported settings or a problem too large for memory, naming the field.</exception>
    public static double[][] CovarianceOfDelta(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken ct)
    {
        FluctuationResult result = Solve(experiment, model, data, new FluctuationOptions(), progress, ct);
        int columns = (experiment.Steps + 1) * data.Count;
        return [.. Enumerable.Range(0, columns).Select(i => result.CovDelta.AsSpan(i * columns, columns).ToArray())];
    }

    /// <summary>The full result (errors, N Cov Delta(t, s), method line) with explicit options.</summary>
    internal static FluctuationResult Solve(Experiment experiment, NetworkModel model, Dataset data, FluctuationOptions options, IProgress<double>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        TheorySpec spec = experiment.Theory ?? throw new ExperimentException("theory", "missing; finite-width fluctuations need a \"theory\" section.");
        if (model.HiddenLayers != 1)
        {
            throw new ExperimentException("model", $"{model.Name} has {model.HiddenLayers} hidden layers; the reduced two-layer propagator needs exactly 1.");
        }

        if (experiment.Online)
        {
            throw new ExperimentException("online", "finite-width fluctuations of online learning are not available; set \"online\": false.");
        }

        if (options.AdjointSteps is not null && options.Bias)
        {
            throw new ExperimentException("theory.bias", "the O(1/N) mean shift needs the dense propagator; set it to false or use \"fluctuationMethod\": \"dense\".");
        }

        if (options.AdjointSteps is not null && model.Info.Activation.Smoothness != Smoothness.Smooth)
        {
            throw new ExperimentException("theory.fluctuationMethod", $"the adjoint path uses pathwise derivatives, which miss the kink term of {model.Name}'s piecewise nonlinearity (DESIGN.md 4.6); use \"dense\".");
        }

        if (options.Bias && model.Info.Activation.Smoothness != Smoothness.Smooth)
        {
            throw new ExperimentException("theory.bias", $"the O(1/N) mean shift needs second-order tangents, which miss the kink terms of {model.Name}'s piecewise nonlinearity (DESIGN.md 4.6); set it to false.");
        }

        bool finiteDifferences = options.Sensitivity == SensitivityMethod.FiniteDifference
            || (options.Sensitivity == SensitivityMethod.Auto && model.Info.Activation.Smoothness != Smoothness.Smooth);
        if (finiteDifferences && model.Info.Activation.Smoothness != Smoothness.Smooth)
        {
            // The finite-difference kink term needs sites spread evenly across the kink (DESIGN.md 4.6); a product grid
            // is too sparse there (measured: ReLU N Var K(t = 2) 0.738 on a 160^2 grid, 0.834 with QMC, ensembles 0.833).
            if (spec.Integration == IntegrationMethod.Quadrature)
            {
                throw new ExperimentException("theory.integration", $"{model.Name} is piecewise: its kink term is computed by finite differences across the kink, which a product grid resolves badly; use \"qmc\" (or \"mc\", or \"auto\", which picks qmc here).");
            }

            spec = spec with { Integration = spec.Integration == IntegrationMethod.Auto ? IntegrationMethod.Qmc : spec.Integration };
        }

        var problem = new TwoLayerProblem(data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, RecordTwoTime: false);
        (IntegrationMethod method, int dimension) = TheoryRunner.ChooseMethod(spec, problem);
        (long sites, int groups, _) = TheoryRunner.RulePlan(method, spec.Sites, dimension);
        long bytes = options.AdjointSteps is { } chosen
            ? FluctuationMemory.AdjointPeakBytes(sites, method == IntegrationMethod.Quadrature ? sites : sites / groups, groups, dimension, problem.Points, problem.Train, problem.Steps, chosen.Distinct().Count())
            : FluctuationMemory.PeakBytes(sites, dimension, problem.Points, problem.Train, problem.Steps, groups, options.Bias, finiteDifferences, options.KernelEvery);
        if (bytes > FluctuationMemory.LimitBytes)
        {
            throw new ExperimentException(
                "theory.fluctuations",
                $"the two-layer propagator would need {bytes / (double)(1 << 30):F2} GiB ({sites} sites, {problem.Points} points, {problem.Train} training points, {problem.Steps} steps) but at most {FluctuationMemory.LimitBytes / (double)(1 << 30):F2} GiB may be used; it grows like steps^2 P^2 (P + Q) (the P^2 from the kernels' rows): lower steps, training points or theory.sites, or raise theory.kernelFluctuationsEvery, or use \"fluctuationMethod\": \"adjoint\" (outputs and the loss at chosen steps, memory O(S T Q)).");
        }

        SiteRule rule = TheoryRunner.FoldIfOdd(TheoryRunner.BuildRule(method, spec, dimension), model);
        return FluctuationSolver.Solve(model, problem, rule, options, progress, ct);
    }
}
