using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary><c>ftc describe</c>: what the compiler made of a model, and optionally phi and its derivatives at points.</summary>
internal sealed class DescribeCommand : Command<DescribeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[name]")]
        [Description("Catalogue name (see 'ftc models'), or the model to pick from --model-file.")]
        public string? Name { get; init; }

        [CommandOption("--model-file <PATH>")]
        [Description("A .cs file declaring a [Network] model; compiled on the fly.")]
        public string? ModelFile { get; init; }

        [CommandOption("--at <POINTS>")]
        [Description("Comma-separated points h at which to evaluate phi, phi', phi'', phi''' (write --at=-1,0,1 for negative first values).")]
        public string? At { get; init; }

        [CommandOption("--json")]
        [Description("Print JSON instead of tables.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<double> points = PointList.Parse(settings.At);
        NetworkModel model = ModelResolver.Resolve(settings.Name, settings.ModelFile);
        ModelDescription description = ModelDescription.Of(model, points);
        if (settings.Json)
        {
            Console.Out.WriteLine(description.ToJson());
        }
        else
        {
            Render(description);
        }

        return 0;
    }

    private static void Render(ModelDescription d)
    {
        ActivationInfo a = d.Activation;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Model[/]", Markup.Escape($"{d.Name} ({d.TypeName})"));
        grid.AddRow("[bold]Hidden layers L[/]", d.HiddenLayers.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("[bold]Declared[/]", Markup.Escape(a.Source));
        grid.AddRow("[bold]phi(h)[/]", Markup.Escape(a.Phi));
        grid.AddRow("[bold]phi'(h)[/]", Markup.Escape(a.D1));
        grid.AddRow("[bold]phi''(h)[/]", Markup.Escape(a.D2));
        grid.AddRow("[bold]phi'''(h)[/]", Markup.Escape(a.D3));
        string kinks = a.Kinks.Count == 0 ? string.Empty : " (kinks at h = " + string.Join(", ", a.Kinks.Select(Format)) + ")";
        grid.AddRow("[bold]Smoothness[/]", Markup.Escape(a.Smoothness + kinks));
        string parameters = a.FamilyParameters.Count == 0 ? string.Empty : " [" + string.Join(", ", a.FamilyParameters.Select(Format)) + "]";
        grid.AddRow("[bold]Gaussian family[/]", Markup.Escape(a.Family + parameters));
        AnsiConsole.Write(new Panel(grid).Header("ftc describe").Border(BoxBorder.Rounded));

        if (d.Values.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (string column in new[] { "h", "phi", "phi'", "phi''", "phi'''" })
            {
                table.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (PointValues v in d.Values)
            {
                table.AddRow(Format(v.H), Format(v.Phi), Format(v.D1), Format(v.D2), Format(v.D3));
            }

            AnsiConsole.Write(table);
        }
    }

    // + 0.0 turns -0 into 0 for display.
    private static string Format(double value) => (value + 0.0).ToString("G10", CultureInfo.InvariantCulture);
}
