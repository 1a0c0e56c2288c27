using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using FieldTheory.Cli.Plots;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary>
/// <c>ftc sweep</c>: runs the Cartesian product of <c>--grid</c> values of an experiment, one result file per point,
/// resumable and shardable (<c>--shard i/n</c> for array jobs); <c>ftc sweep --collect DIR</c> merges the results into one table (sweep.csv) and figures (<see cref="SweepPlots"/>).
/// </summary>
internal sealed class SweepCommand : Command<SweepCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[experiment]")]
        [Description("Experiment file (JSON) whose fields the grid overrides.")]
        public string? Experiment { get; init; }

        [CommandOption("--grid <PATH=VALUES>")]
        [Description("A swept field and its values, e.g. gamma0=0.5,1,2 or ensemble.width=128,512; repeat for more axes.")]
        public string[] Grid { get; init; } = [];

        [CommandOption("--shard <I/N>")]
        [Description("Run only shard i of n (i from 1 to n): every n-th point, for array jobs on a cluster.")]
        public string? Shard { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Folder for the result files (one per point, named by its parameters).")]
        public string? Out { get; init; }

        [CommandOption("--collect <DIR>")]
        [Description("Merge the results in DIR into sweep.csv, a table and figures (sweep-*.png, .svg) instead of running.")]
        public string? Collect { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Collect is { } folder)
        {
            return Collect(folder);
        }

        if (settings.Experiment is null || settings.Out is null)
        {
            throw new UserInputException("sweep needs an experiment file and --out DIR (or --collect DIR).");
        }

        IReadOnlyList<SweepPoint> all = SweepGrid.Points([.. settings.Grid.Select(GridAxis.Parse)]);
        IReadOnlyList<SweepPoint> points = settings.Shard is { } shard ? SweepGrid.Shard(all, shard) : all;
        JsonObject experiment = SweepRunner.ReadExperiment(settings.Experiment);
        string? baseDirectory = Path.GetDirectoryName(Path.GetFullPath(settings.Experiment));
        var runner = new SweepRunner(experiment, baseDirectory, settings.Out, (e, progress, ct) =>
            ExperimentRunner.Run(e, ExperimentRunner.ResolveModel(e.Model, BuiltInModels.Catalogue), progress, ct));
        runner.Validate(points);

        int ran = 0;
        int skipped = 0;
        void RunAll(Func<SweepPoint, IProgress<double>?> progressFor)
        {
            foreach (SweepPoint point in points)
            {
                if (runner.Run(point, progressFor(point), cancellationToken) == SweepPointStatus.Ran)
                {
                    ran++;
                }
                else
                {
                    skipped++;
                }
            }
        }

        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            RunAll(_ => null);
        }
        else
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask total = ctx.AddTask($"sweep: {points.Count} points", maxValue: points.Count);
                    RunAll(point =>
                    {
                        double start = total.Value;
                        total.Description = Markup.Escape($"sweep: {point.Name}");
                        return new Progress(value => total.Value = start + value);
                    });
                    total.Value = points.Count;
                });
        }

        string scope = settings.Shard is null ? $"{all.Count} points" : $"shard {settings.Shard}: {points.Count} of {all.Count} points";
        AnsiConsole.MarkupLine(Markup.Escape($"{scope}: {ran} run, {skipped} already done; results in {settings.Out}"));
        return 0;
    }

    private static int Collect(string folder)
    {
        IReadOnlyList<SweepRow> rows = SweepCollector.Collect(folder);
        if (rows.Count == 0)
        {
            throw new UserInputException($"--collect: no sweep results (*{SweepRunner.ResultSuffix}) in '{folder}'.");
        }

        string csv = Path.Combine(folder, "sweep.csv");
        File.WriteAllText(csv, SweepCollector.ToCsv(rows));
        var table = new Table().Border(TableBorder.Rounded);
        foreach ((string path, _) in rows[0].Parameters)
        {
            table.AddColumn(Markup.Escape(path));
        }

        string[] shown = ["ensembleFinalLoss", "theoryFinalLoss", "ensembleNvarDelta0Peak", "ensembleFinalNvarNtk00"];
        foreach (string metric in shown)
        {
            table.AddColumn(new TableColumn(Markup.Escape(metric)).RightAligned());
        }

        foreach (SweepRow row in rows)
        {
            table.AddRow([.. row.Parameters.Select(p => Markup.Escape(p.Value)), .. shown.Select(m => row.Metrics[m].ToString("G4", CultureInfo.InvariantCulture))]);
        }

        AnsiConsole.Write(table);
        IReadOnlyList<string> figures = SweepPlots.Write(rows, folder);
        AnsiConsole.MarkupLine(Markup.Escape($"{rows.Count} results merged into {csv}; figures: {string.Join(", ", figures.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(Path.GetFileName))} (and .svg)"));
        return 0;
    }

    /// <summary>Reports straight into a progress bar.</summary>
    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
