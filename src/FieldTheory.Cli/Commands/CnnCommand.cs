using System.ComponentModel;
using System.Globalization;
using FieldTheory.Convolutions;
using FieldTheory.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FieldTheory.Cli.Commands;

/// <summary><c>ftc cnn</c>: runs a CNN width sweep (bias and variance of the test loss over initialisations).</summary>
internal sealed class CnnCommand : Command<CnnCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[experiment]")]
        [Description("CNN experiment file (JSON), see docs/cnn.md. Omit with --quick.")]
        public string? Experiment { get; init; }

        [CommandOption("--quick")]
        [Description("Run the built-in quick sweep: FashionCnn on Fashion-MNIST T-shirt vs trouser, widths 4, 8, 16.")]
        public bool Quick { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu (members in parallel, im2col + OpenBLAS; the default), or cuda / ilgpu-cpu for the ILGPU engine.")]
        public string? Device { get; init; }

        [CommandOption("--plots <DIR>")]
        [Description("Also write figures (PNG and SVG) of bias and variance against 1/N with the a + b/N fits into this folder.")]
        public string? Plots { get; init; }

        [CommandOption("--out <PATH>")]
        [Description("Where to write the result JSON (default: <experiment>.result.json, or cnn-bias-variance.result.json with --quick).")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Quick == (settings.Experiment is not null))
        {
            throw new UserInputException("cnn: give either an experiment file or --quick.");
        }

        CnnExperiment experiment = settings.Experiment is { } path
            ? CnnExperiment.ParseFile(path)
            : new CnnExperiment("FashionCnn", CnnData.QuickFashionMnist, CnnBiasVarianceSettings.Quick);
        ConvolutionalModel model;
        try
        {
            model = BuiltInConvolutionalModels.Get(experiment.Model);
        }
        catch (KeyNotFoundException e)
        {
            throw new UserInputException("model: " + e.Message);
        }

        string output = settings.Out ?? (settings.Experiment is { } file
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", Path.GetFileNameWithoutExtension(file) + ".result.json")
            : "cnn-bias-variance.result.json");

        if (settings.Device is { } name && name is not ("cpu" or "cuda" or "ilgpu-cpu"))
        {
            throw new UserInputException($"--device: \"{name}\" is not allowed; expected cpu, cuda or ilgpu-cpu.");
        }

        using Compute.ComputeDevice? device = CreateDevice(settings.Device);
        CnnImages images = CnnData.Load(experiment.Data);
        CnnBiasVarianceResult result;
        try
        {
            result = AnsiConsole.Progress().Start(progress =>
            {
                ProgressTask task = progress.AddTask($"{model.Name}: widths {string.Join(", ", experiment.Settings.Widths)}", maxValue: 1.0);
                return CnnBiasVariance.Run(model, images, experiment.Settings, new Progress<double>(v => task.Value = v), cancellationToken, device);
            });
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }

        File.WriteAllText(output, CnnResultJson.Serialize(result));
        Print(result, output);
        if (settings.Plots is { } folder)
        {
            foreach (string figure in FieldTheory.Reproductions.Figures.CnnPlots.Write(result, folder))
            {
                AnsiConsole.WriteLine("Figure: " + figure);
            }
        }
        return 0;
    }

    private static Compute.ComputeDevice? CreateDevice(string? name)
    {
        try
        {
            return name switch
            {
                "cuda" => Compute.ComputeDevice.Create("cuda"),
                "ilgpu-cpu" => Compute.ComputeDevice.Create("cpu"),
                _ => null,
            };
        }
        catch (InvalidOperationException e)
        {
            throw new UserInputException("--device: " + e.Message);
        }
    }

    private static void Print(CnnBiasVarianceResult result, string output)
    {
        AnsiConsole.WriteLine(result.Model);
        AnsiConsole.WriteLine(result.Data);
        var table = new Table().AddColumns("N", "bias", "variance", "member loss", "ensemble error", "member error", "train loss", "seconds");
        for (int i = 0; i < result.Final.Length; i++)
        {
            BiasVarianceDecomposition p = result.Final[i];
            table.AddRow(
                p.Width.ToString(CultureInfo.InvariantCulture),
                p.Bias.ToString(),
                p.Variance.ToString(),
                p.MemberLoss.ToString(),
                p.EnsembleError.ToString("F3", CultureInfo.InvariantCulture),
                p.MemberError.ToString(),
                p.TrainLoss.ToString(),
                result.Seconds[i].ToString("F1", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(FormattableString.Invariant($"infinite width (a + b/N): bias {result.BiasFit.A} (b = {result.BiasFit.B}), variance {result.VarianceFit.A} (b = {result.VarianceFit.B}), member loss {result.MemberLossFit.A}"));
        if (result.ProbeNtk is { } ntk)
        {
            foreach (ProbeNtkStatistics k in ntk.Select(w => w[^1]))
            {
                AnsiConsole.WriteLine(FormattableString.Invariant($"probe NTK at N = {k.Width}, step {k.Step}: mean diagonal {k.MeanDiagonal}, N Var of it {k.MeanDiagonalNVariance}, N Var per entry {k.EntryNVariance}"));
            }
        }

        AnsiConsole.WriteLine("Result: " + output);
    }
}
