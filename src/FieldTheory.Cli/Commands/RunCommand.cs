using System.ComponentModel;
using System.Globalization;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary><c>ftc run</c>: runs an experiment file and writes its result JSON.</summary>
internal sealed class RunCommand : Command<RunCommand.Settings>
{
    /// <summary>Exit code of a run stopped with Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<experiment>")]
        [Description("Experiment file (JSON), see the README's experiment file reference.")]
        public string Experiment { get; init; } = string.Empty;

        [CommandOption("--out <PATH>")]
        [Description("Where to write the result JSON (default: <experiment>.result.json next to the experiment).")]
        public string? Out { get; init; }

        [CommandOption("--plots <DIR>")]
        [Description("Also write figures (PNG and SVG) of Delta, N Var Delta, the NTK and the loss into this folder.")]
        public string? Plots { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu, cuda or auto; overrides ensemble.device and theory.device.")]
        public string? Device { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Experiment experiment = ExperimentParser.ParseFile(settings.Experiment);
        if (settings.Device is { } device)
        {
            if (device is not ("cpu" or "cuda" or "auto"))
            {
                throw new UserInputException($"--device: \"{device}\" is not allowed; expected cpu, cuda or auto.");
            }

            experiment = experiment with
            {
                Ensemble = experiment.Ensemble is { } e ? e with { Device = device } : null,
                Theory = experiment.Theory is { } t ? t with { Device = device } : null,
            };
        }

        string output = settings.Out ?? Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(settings.Experiment)) ?? ".",
            Path.GetFileNameWithoutExtension(settings.Experiment) + ".result.json");

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            args.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            NetworkModel model = ExperimentRunner.ResolveModel(experiment.Model, BuiltInModels.Catalogue);
            ExperimentResult result = RunWithProgress(experiment, model, interrupt.Token);
            File.WriteAllText(output, ResultJson.Serialize(result));
            IReadOnlyList<string> figures = settings.Plots is { } folder ? FieldTheory.Reproductions.Figures.ResultPlots.Write(result, folder) : [];
            Summarize(result, output, figures);
            if (ExperimentRunner.DivergenceMessage(result) is { } diverged)
            {
                Console.Error.WriteLine($"ftc: {diverged} The steps before it are in {output}.");
                return CliErrors.InputError;
            }

            return 0;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("ftc: interrupted; no result written.");
            return Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static ExperimentResult RunWithProgress(Experiment experiment, NetworkModel model, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return ExperimentRunner.Run(experiment, model, null, cancellationToken);
        }

        ExperimentResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape($"{model.Name}: {Stages(experiment)}"), maxValue: 1.0);
                result = ExperimentRunner.Run(experiment, model, new SynchronousProgress(task), cancellationToken);
                task.Value = 1.0;
            });
        return result!;
    }

    private static void Summarize(ExperimentResult result, string output, IReadOnlyList<string> figures)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Model[/]", Markup.Escape($"{result.Model} (L = {result.HiddenLayers}), gamma0 = {F(result.Gamma0)}, eta = {F(result.Eta)}, T = {result.Steps}"));
        grid.AddRow("[bold]Data[/]", Markup.Escape(result.Data));
        if (result.Ensemble is { } e && e.Mean.Loss.Length > 0)
        {
            int last = e.Mean.Loss.Length - 1;
            grid.AddRow("[bold]Ensemble[/]", Markup.Escape($"N = {e.Width}, E = {e.Members}, {e.Device}"));
            grid.AddRow("[bold]Final loss[/]", Markup.Escape($"{F(e.Mean.Loss[last])} ± {F(e.MeanStdErr.Loss[last])} (t = {F(result.Time[last])})"));
            if (e.Mean.TestLoss is { } testLoss)
            {
                grid.AddRow("[bold]Final test loss[/]", Markup.Escape($"{F(testLoss[last])} ± {F(e.MeanStdErr.TestLoss![last])}"));
            }

            int[] times = [.. new[] { 0, last / 4, last / 2, last }.Distinct()];
            grid.AddRow("[bold]N Var Delta_1[/]", Markup.Escape(string.Join(",  ", times.Select(n => $"t = {F(result.Time[n])}: {F(e.Nvar.Delta[n][0])} ± {F(e.NvarStdErr.Delta[n][0])}"))));
        }

        if (result.Theory is { } theory && theory.Mean.Delta.Length > 0)
        {
            int last = theory.Mean.Delta.Length - 1;
            grid.AddRow("[bold]Theory[/]", Markup.Escape(theory.Method));
            string error = theory.IntegrationError is { } err ? $" ± {F(err.Delta[last][0])}" : string.Empty;
            grid.AddRow("[bold]Delta_1(T), infinite width[/]", Markup.Escape($"{F(theory.Mean.Delta[last][0])}{error}"));
            if (theory.Unavailable is { Count: > 0 } gaps)
            {
                grid.AddRow("[bold]Not from theory[/]", Markup.Escape(string.Join(Environment.NewLine, gaps)));
            }
            if (result.Comparison is { } comparison)
            {
                double worst = comparison.MeanDifferenceInStdErr.Delta.SelectMany(row => row).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
                grid.AddRow("[bold]Ensemble - theory[/]", Markup.Escape($"Delta: largest |difference| {F(worst)} standard errors over all steps (finite width adds O(1/N))"));
            }
        }

        grid.AddRow("[bold]Result[/]", Markup.Escape(output));
        if (figures.Count > 0)
        {
            grid.AddRow("[bold]Figures[/]", Markup.Escape(string.Join(", ", figures.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))));
        }
        AnsiConsole.Write(new Panel(grid).Header("ftc run").Border(BoxBorder.Rounded));
    }

    private static string Stages(Experiment experiment) =>
        string.Join(" + ", new[] { experiment.Ensemble is not null ? "ensemble" : null, experiment.Theory is not null ? "theory" : null }.OfType<string>());

    private static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Reports straight into the progress task (Progress&lt;T&gt; would post to a context that never runs here).</summary>
    private sealed class SynchronousProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }
}
