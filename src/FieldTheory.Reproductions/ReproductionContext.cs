using System.Diagnostics;
using System.Globalization;
using System.Text;
using FieldTheory.Experiments;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;

namespace FieldTheory.Reproductions;

/// <summary>
/// What a running reproduction writes into: settings, outcomes and checks for the report, figures, CSV tables and
/// result files in the output folder, and progress over its experiments.
/// </summary>
public sealed class ReproductionContext
{
    private readonly Reproduction _reproduction;
    private readonly IProgress<double>? _progress;
    private readonly List<string> _settings = [];
    private readonly List<string> _outcomes = [];
    private readonly List<ClaimCheck> _checks = [];
    private readonly List<string> _files = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _stages = 1;
    private int _stage;

    internal ReproductionContext(Reproduction reproduction, ReproductionOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        _reproduction = reproduction;
        Options = options;
        _progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>Quick or full, and the output folder.</summary>
    public ReproductionOptions Options { get; }

    /// <summary>True for the reduced version.</summary>
    public bool Quick => Options.Quick;

    /// <summary>Cancels between experiments and inside them.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Declares how many experiments will run, for the progress bar.</summary>
    public void ExpectStages(int count) => _stages = Math.Max(1, count);

    /// <summary>Records a setting for the report.</summary>
    public void Setting(string text) => _settings.Add(text);

    /// <summary>Records an outcome for the report.</summary>
    public void Outcome(string text) => _outcomes.Add(text);

    /// <summary>Records a numerical check of the claim.</summary>
    public bool Check(string name, bool passed, string detail)
    {
        _checks.Add(new ClaimCheck(name, passed, detail));
        return passed;
    }

    /// <summary>Runs one experiment as the next stage, with progress, and saves its result JSON under <paramref name="label"/>.</summary>
    public ExperimentResult Run(string label, Experiment experiment, NetworkModel model)
    {
        CancellationToken.ThrowIfCancellationRequested();
        int stage = _stage++;
        var progress = _progress is null ? null : new StageProgress(_progress, stage, _stages);
        ExperimentResult result = ExperimentRunner.Run(experiment, model, progress, CancellationToken);
        if (ExperimentRunner.DivergenceMessage(result) is { } diverged)
        {
            throw new ExperimentException("eta", $"{label}: {diverged}");
        }

        string path = Path.Combine(Options.OutputDirectory, label + ".result.json");
        File.WriteAllText(path, ResultJson.Serialize(result));
        _files.Add(path);
        return result;
    }

    /// <summary>Runs a computation that is not an experiment file as the next stage and saves its JSON under <paramref name="label"/>.</summary>
    public T RunCustom<T>(string label, Func<IProgress<double>?, T> run, Func<T, string> toJson)
    {
        CancellationToken.ThrowIfCancellationRequested();
        int stage = _stage++;
        T result = run(_progress is null ? null : new StageProgress(_progress, stage, _stages));
        string path = Path.Combine(Options.OutputDirectory, label + ".result.json");
        File.WriteAllText(path, toJson(result));
        _files.Add(path);
        return result;
    }

    /// <summary>Records files a figure writer produced.</summary>
    public void SaveFiles(IEnumerable<string> paths) => _files.AddRange(paths);

    /// <summary>Saves a figure as PNG and SVG.</summary>
    public void Save(Figure figure, string name) => _files.AddRange(figure.Save(Options.OutputDirectory, name));

    /// <summary>Writes a CSV table (invariant culture) of the numbers behind a figure.</summary>
    public void Csv(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<double>> rows)
    {
        var csv = new StringBuilder().AppendLine(string.Join(",", header));
        foreach (IReadOnlyList<double> row in rows)
        {
            csv.AppendLine(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        string path = Path.Combine(Options.OutputDirectory, name + ".csv");
        File.WriteAllText(path, csv.ToString());
        _files.Add(path);
    }

    internal ReproductionReport Finish()
    {
        var report = new ReproductionReport(
            _reproduction.Name, _reproduction.Summary, _reproduction.Claim, Quick, _settings, _outcomes, _checks, [.. _files], _clock.Elapsed);
        string path = Path.Combine(Options.OutputDirectory, "report.md");
        File.WriteAllText(path, (report with { Files = [.. _files, path] }).ToMarkdown());
        _progress?.Report(1.0);
        return report with { Files = [.. _files, path] };
    }

    private sealed class StageProgress(IProgress<double> inner, int stage, int stages) : IProgress<double>
    {
        public void Report(double value) => inner.Report(Math.Min(1.0, (stage + Math.Clamp(value, 0, 1)) / stages));
    }
}
