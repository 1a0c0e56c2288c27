using System.Globalization;
using FieldTheory.Compilation;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Ensembles;
using FieldTheory.Results;
using FieldTheory.Theory;

namespace FieldTheory.Experiments;

/// <summary>
/// Runs an experiment file end to end: resolves the model, builds the data, runs each requested solver and assembles
/// the <see cref="ExperimentResult"/>. Each solver is one call in <see cref="Run(Experiment, NetworkModel, IProgress{double}?, CancellationToken)"/>.
/// </summary>
public static class ExperimentRunner
{
    /// <summary>Runs <paramref name="experiment"/>, looking its model up in <paramref name="catalogue"/> (or compiling its model file).</summary>
    public static ExperimentResult Run(Experiment experiment, ModelCatalogue catalogue, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Run(experiment, ResolveModel(experiment.Model, catalogue), progress, cancellationToken);

    /// <summary>
    /// Runs <paramref name="experiment"/> with <paramref name="model"/>. A diverging ensemble does not throw: the result's
    /// <see cref="EnsembleResult.DivergedAtStep"/> is set and holds the steps before it (see <see cref="DivergenceMessage"/>).
    /// Throws <see cref="ExperimentException"/> for problems of the experiment (data, device, memory) and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static ExperimentResult Run(Experiment experiment, NetworkModel model, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(model);
        Dataset data = DataFactory.Build(experiment.Data);
        int steps = experiment.Steps;
        string tool = $"ftc {BuildInfo.Version}";

        EnsembleResult? ensemble = null;
        if (experiment.Ensemble is { } spec)
        {
            ensemble = RunEnsemble(experiment, spec, model, data, Stage(progress, 0, experiment.Theory is null ? 1 : 2), cancellationToken);
            tool += "; ensemble on " + ensemble.Device;
            if (ensemble.DivergedAtStep is { } n)
            {
                steps = n - 1;
            }
        }

        TheoryResult? theory = null;
        if (experiment.Theory is not null)
        {
            theory = RunTheory(experiment, model, data, Stage(progress, experiment.Ensemble is null ? 0 : 1, experiment.Ensemble is null ? 1 : 2), cancellationToken);
            if (steps < experiment.Steps)
            {
                theory = theory with
                {
                    Mean = SeriesMath.Truncate(theory.Mean, steps + 1),
                    IntegrationError = theory.IntegrationError is { } e ? SeriesMath.Truncate(e, steps + 1) : null,
                    Nvar = theory.Nvar is { } v ? SeriesMath.Truncate(v, steps + 1) : null,
                    Nbias = theory.Nbias is { } b ? SeriesMath.Truncate(b, steps + 1) : null,
                    NvarIntegrationError = theory.NvarIntegrationError is { } ve ? SeriesMath.Truncate(ve, steps + 1) : null,
                };
            }
        }

        Comparison? comparison = ensemble is not null && theory is not null ? SeriesMath.Compare(ensemble, theory) : null;
        Convention convention = experiment.Online ? Convention.OnlineSgd(experiment.Centered, experiment.Batch) : Convention.Standard(experiment.Centered);
        double[] time = [.. Enumerable.Range(0, steps + 1).Select(n => n * experiment.Eta)];
        return new ExperimentResult(model.Name, model.HiddenLayers, data.Description, experiment.Gamma0, experiment.Eta, experiment.Steps, time, convention, ensemble, theory, comparison, tool, experiment);
    }

    /// <summary>Progress of stage <paramref name="index"/> of <paramref name="count"/> equal stages, mapped into 0..1.</summary>
    private static IProgress<double>? Stage(IProgress<double>? progress, int index, int count) =>
        progress is null ? null : new StageProgress(progress, index, count);

    private sealed class StageProgress(IProgress<double> inner, int index, int count) : IProgress<double>
    {
        public void Report(double value) => inner.Report((index + Math.Clamp(value, 0.0, 1.0)) / count);
    }

    /// <summary>The model an experiment names: a catalogue entry (<c>model</c>) or the one model of a C# file (<c>modelFile</c>).</summary>
    public static NetworkModel ResolveModel(ModelReference reference, ModelCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(catalogue);
        if (reference.File is { } file)
        {
            if (!File.Exists(file))
            {
                throw new ExperimentException("modelFile", $"file '{file}' does not exist.");
            }

            IReadOnlyList<NetworkModel> models = ModelCompiler.CompileFile(file);
            return models.Count == 1
                ? models[0]
                : throw new ExperimentException("modelFile", $"'{file}' declares {models.Count} models ({string.Join(", ", models.Select(m => m.Name))}); an experiment needs exactly one.");
        }

        string name = reference.Name ?? throw new ExperimentException("model", "missing; give a catalogue name or \"modelFile\".");
        return catalogue.TryGet(name, out NetworkModel? model)
            ? model
            : throw new ExperimentException("model", $"unknown model \"{name}\"; known models: {string.Join(", ", catalogue.Models.Select(m => m.Name))} (or give \"modelFile\": a .cs file).");
    }

    /// <summary>One line saying where and how a run diverged (the ensemble, else the theory), or null when it did not.</summary>
    public static string? DivergenceMessage(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Ensemble?.DivergedAtStep is { } n)
        {
            return string.Create(CultureInfo.InvariantCulture, $"eta: the ensemble diverged at step {n} (t = {n * result.Eta:G6}): the loss of at least one member is no longer finite, or its ensemble statistics overflow; reduce eta (or gamma0).");
        }

        int? m = result.Theory is { } theory ? FirstNonFiniteRow(theory.Mean.Delta) : null;
        return m is { } step
            ? string.Create(CultureInfo.InvariantCulture, $"eta: the infinite-width theory diverged at step {step} (t = {step * result.Eta:G6}): Delta is no longer finite because the sites' dynamics overflow (eta gamma0 too large for this phi, or on a quadrature grid with \"prunedMass\": 0 its outermost nodes blowing up); reduce eta (or gamma0).")
            : null;
    }

    private static int? FirstNonFiniteRow(double[][] series)
    {
        for (int n = 0; n < series.Length; n++)
        {
            if (!Array.TrueForAll(series[n], double.IsFinite))
            {
                return n;
            }
        }

        return null;
    }

    private static EnsembleResult RunEnsemble(Experiment experiment, EnsembleSpec spec, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        OnlineSampling? online = null;
        if (experiment.Online)
        {
            if (experiment.Centered)
            {
                throw new ExperimentException("centered", "centered online SGD is not supported by the ensemble engine (it would need f(theta_0) on every fresh batch); set \"centered\": false.");
            }

            online = new OnlineSampling((GaussianData)experiment.Data, experiment.Batch);
        }

        var settings = new EnsembleSettings(data, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, spec.Width, spec.Members, spec.Seed, online);
        ComputeDevice device;
        try
        {
            device = ComputeDevice.Create(spec.Device);
        }
        catch (InvalidOperationException e)
        {
            throw new ExperimentException("ensemble.device", e.Message);
        }

        using (device)
        {
            return EnsembleTrainer.Train(model, settings, device, progress, cancellationToken);
        }
    }

    // The theory on the device its section names (theory.device): the two-layer and deep site kernels run there.
    private static TheoryResult RunTheory(Experiment experiment, NetworkModel model, Dataset data, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (experiment.Online)
        {
            return TheoryRunner.Run(experiment, model, data, progress, cancellationToken);
        }

        ComputeDevice device;
        try
        {
            device = ComputeDevice.Create(experiment.Theory!.Device);
        }
        catch (InvalidOperationException e)
        {
            throw new ExperimentException("theory.device", e.Message);
        }

        using (device)
        {
            return TheoryRunner.Run(experiment, model, data, device, progress, cancellationToken);
        }
    }
}
