using FieldTheory.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary><c>ftc models</c>: the catalogue as a table.</summary>
internal sealed class ModelsCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Name")
            .AddColumn(new TableColumn("L").RightAligned())
            .AddColumn("phi(h)")
            .AddColumn("Smoothness")
            .AddColumn("Family");
        foreach (NetworkModel model in BuiltInModels.Catalogue.Models)
        {
            ActivationInfo a = model.Info.Activation;
            table.AddRow(
                Markup.Escape(model.Name),
                model.HiddenLayers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(a.Phi),
                a.Smoothness.ToString(),
                a.Family.ToString());
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
