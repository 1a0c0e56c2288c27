using FieldTheory.Results;
using ScottPlot;

namespace FieldTheory.Reproductions.Figures;

/// <summary>
/// Figures of one result, as PNG and SVG: the mean error Delta(t), N Var Delta(t), the NTK K(t) and the loss, with
/// ensemble means as points with one-standard-error bars and the infinite-width theory as lines.
/// </summary>
public static class ResultPlots
{
    private const int Width = 800;
    private const int Height = 520;
    private const int MaxCurves = 4;

    /// <summary>Writes the figures into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(ExperimentResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string subtitle = $"{result.Model}, gamma0 = {result.Gamma0:G4}, eta = {result.Eta:G4}"
            + (result.Ensemble is { } e ? $", N = {e.Width}, E = {e.Members}" : string.Empty)
            + (result.Convention.Centered ? ", centered" : string.Empty);

        files.AddRange(Save(directory, "delta", Figure(result, "Mean error Delta_mu(t)", subtitle, "Delta",
            s => s.Delta, s => s.Delta, theory => theory.Mean)));
        if (result.Ensemble is not null)
        {
            files.AddRange(Save(directory, "nvar-delta", Figure(result, "N Var Delta_mu(t) over initialisations", subtitle, "N Var Delta",
                _ => result.Ensemble.Nvar.Delta, _ => result.Ensemble.NvarStdErr.Delta, theory => theory.Nvar, variance: true)));
        }

        files.AddRange(Save(directory, "ntk", Figure(result, "NTK K_mumu(t)", subtitle, "K",
            s => Diagonal(s.Ntk), s => Diagonal(s.Ntk), theory => theory.Mean, ntk: true)));
        files.AddRange(Save(directory, "loss", LossFigure(result, subtitle)));
        return files;
    }

    private static Plot Figure(
        ExperimentResult result,
        string title,
        string subtitle,
        string yLabel,
        Func<Series, double[][]> ensembleValues,
        Func<Series, double[][]> ensembleErrors,
        Func<TheoryResult, Series?> theorySeries,
        bool variance = false,
        bool ntk = false)
    {
        var plot = new Plot();
        double[] t = result.Time;
        if (result.Ensemble is { } e)
        {
            double[][] values = variance ? e.Nvar.Delta : ensembleValues(e.Mean);
            double[][] errors = variance ? e.NvarStdErr.Delta : ensembleErrors(e.MeanStdErr);
            for (int mu = 0; mu < Math.Min(MaxCurves, values[0].Length); mu++)
            {
                double[] y = Column(values, mu);
                double[] err = Column(errors, mu);
                int stride = Math.Max(1, t.Length / 40);
                double[] ts = Every(t[..y.Length], stride);
                var points = plot.Add.Scatter(ts, Every(y, stride));
                points.LineWidth = 0;
                points.MarkerSize = 6;
                points.LegendText = $"ensemble, mu = {mu}";
                var bars = plot.Add.ErrorBar(ts, Every(y, stride), Every(err, stride));
                bars.Color = points.Color;
            }
        }

        if (result.Theory is { } theory && theorySeries(theory) is { } s)
        {
            double[][] values = ntk ? Diagonal(s.Ntk) : s.Delta;
            for (int mu = 0; mu < Math.Min(MaxCurves, values[0].Length); mu++)
            {
                var line = plot.Add.Scatter(t[..values.Length], Column(values, mu));
                line.MarkerSize = 0;
                line.LineWidth = 2;
                line.LegendText = $"theory, mu = {mu}";
            }
        }

        Decorate(plot, title, subtitle, yLabel);
        return plot;
    }

    private static Plot LossFigure(ExperimentResult result, string subtitle)
    {
        var plot = new Plot();
        if (result.Ensemble is { } e)
        {
            var points = plot.Add.Scatter(result.Time[..e.Mean.Loss.Length], e.Mean.Loss);
            points.LineWidth = 0;
            points.LegendText = "ensemble mean";
        }

        if (result.Theory is { } theory)
        {
            var line = plot.Add.Scatter(result.Time[..theory.Mean.Loss.Length], theory.Mean.Loss);
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = "infinite width";
        }

        Decorate(plot, "Training loss 1/2 sum Delta^2", subtitle, "loss");
        return plot;
    }

    private static void Decorate(Plot plot, string title, string subtitle, string yLabel)
    {
        plot.Title(title + "\n" + subtitle);
        plot.XLabel("t = n eta");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static string[] Save(string directory, string name, Plot plot)
    {
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return [png, svg];
    }

    private static double[][] Diagonal(double[][][] ntk) => [.. ntk.Select(k => k.Select((row, mu) => row[mu]).ToArray())];

    private static double[] Column(double[][] values, int mu) => [.. values.Select(row => row[mu])];

    private static double[] Every(double[] values, int stride) => [.. values.Where((_, i) => i % stride == 0)];
}
