using System.ComponentModel;
using FieldTheory.Reproductions;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary><c>ftc reproduce</c>: runs one of the paper's results end to end, or lists them.</summary>
internal sealed class ReproduceCommand : Command<ReproduceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[name]")]
        [Description("Which reproduction (see --list).")]
        public string? Name { get; init; }

        [CommandOption("--list")]
        [Description("List the reproductions with their expected run times.")]
        public bool List { get; init; }

        [CommandOption("--quick")]
        [Description("The reduced version (what CI runs), minutes instead of tens of minutes.")]
        public bool Quick { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: reproductions/<name>).")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.List || settings.Name is null)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Name").AddColumn("What it shows").AddColumn("--quick").AddColumn("full");
            foreach (Reproduction r in ReproductionCatalogue.All)
            {
                table.AddRow(r.Name, Markup.Escape(r.Summary), Time(r.QuickTime), Time(r.FullTime));
            }

            AnsiConsole.Write(table);
            return 0;
        }

        Reproduction reproduction = ReproductionCatalogue.Find(settings.Name)
            ?? throw new UserInputException($"unknown reproduction '{settings.Name}'. Known: {string.Join(", ", ReproductionCatalogue.All.Select(r => r.Name))}.");
        var options = new ReproductionOptions(settings.Quick, settings.Out ?? Path.Combine("reproductions", reproduction.Name));
        ReproductionReport report = RunWithProgress(reproduction, options, cancellationToken);
        foreach (ClaimCheck check in report.Checks)
        {
            string mark = check.Passed ? "[green]holds[/]" : "[red]fails[/]";
            AnsiConsole.MarkupLine($"{mark}  {Markup.Escape(check.Name)}: {Markup.Escape(check.Detail)}");
        }

        AnsiConsole.MarkupLine(Markup.Escape($"{report.Files.Count} files in {options.OutputDirectory} (report.md); {report.Elapsed.TotalSeconds:F0} s"));
        if (!report.ClaimHolds)
        {
            Console.Error.WriteLine($"ftc: {reproduction.Name}: {report.Checks.Count(c => !c.Passed)} of {report.Checks.Count} checks of the claim failed (see {Path.Combine(options.OutputDirectory, "report.md")}).");
            return CliErrors.InputError;
        }

        return 0;
    }

    private static ReproductionReport RunWithProgress(Reproduction reproduction, ReproductionOptions options, CancellationToken cancellationToken)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return reproduction.Run(options, null, cancellationToken);
        }

        ReproductionReport? report = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape(reproduction.Name + (options.Quick ? " (quick)" : string.Empty)), maxValue: 1.0);
                report = reproduction.Run(options, new Progress(v => task.Value = v), cancellationToken);
                task.Value = 1.0;
            });
        return report!;
    }

    private static string Time(TimeSpan t) => t.TotalMinutes >= 1 ? $"~{t.TotalMinutes:F0} min" : $"~{t.TotalSeconds:F0} s";

    private sealed class Progress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
