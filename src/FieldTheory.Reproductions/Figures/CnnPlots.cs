using FieldTheory.Convolutions;
using ScottPlot;

namespace FieldTheory.Reproductions.Figures;

/// <summary>
/// Figures of a CNN width sweep, as PNG and SVG: bias and variance of the test loss at the last step against 1/N, with
/// one-standard-error bars and the weighted a + b/N fit (its intercept at 1/N = 0 is the infinite-width value).
/// </summary>
public static class CnnPlots
{
    private const int Width = 800;
    private const int Height = 520;

    /// <summary>Writes the figures into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(CnnBiasVarianceResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        BiasVarianceDecomposition[] final = result.Final;
        string subtitle = $"{result.Model.Split(':')[0]}, gamma0 = {result.Settings.Gamma0:G4}, eta = {result.Settings.Eta:G4}, step {final[0].Step}, E = {result.Settings.Members}";
        return
        [
            .. Save(directory, "cnn-bias", Figure("Bias: test loss of the ensemble-mean predictor", subtitle, "bias", final, p => p.Bias, result.BiasFit)),
            .. Save(directory, "cnn-variance", Figure("Variance of the test outputs over initialisations", subtitle, "variance", final, p => p.Variance, result.VarianceFit)),
        ];
    }

    private static Plot Figure(string title, string subtitle, string yLabel, BiasVarianceDecomposition[] points, Func<BiasVarianceDecomposition, Estimate> value, InverseWidthFit fit)
    {
        var plot = new Plot();
        double[] x = points.Select(p => 1.0 / p.Width).ToArray();
        double[] y = points.Select(p => value(p).Value).ToArray();
        var markers = plot.Add.Scatter(x, y);
        markers.LineWidth = 0;
        markers.MarkerSize = 8;
        markers.LegendText = "ensembles (N = " + string.Join(", ", points.Select(p => p.Width)) + ")";
        var bars = plot.Add.ErrorBar(x, y, points.Select(p => value(p).StdErr).ToArray());
        bars.Color = markers.Color;
        double[] xs = [0.0, x.Max()];
        var line = plot.Add.Scatter(xs, xs.Select(v => fit.A.Value + (fit.B.Value * v)).ToArray());
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LegendText = $"a + b/N: a = {fit.A}, b = {fit.B}";
        plot.Title(title + "\n" + subtitle);
        plot.XLabel("1 / N");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static string[] Save(string directory, string name, Plot plot)
    {
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return [png, svg];
    }
}
