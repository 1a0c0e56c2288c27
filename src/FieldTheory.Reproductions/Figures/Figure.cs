using ScottPlot;

namespace FieldTheory.Reproductions.Figures;

/// <summary>A small vocabulary over ScottPlot for the reproductions' figures: theory lines, ensemble points with
/// standard-error bars, reference levels; saved as PNG and SVG.</summary>
public sealed class Figure
{
    private const int Width = 1100;
    private const int Height = 560;
    private readonly Plot _plot = new();

    /// <summary>A figure with a title and axis labels.</summary>
    public Figure(string title, string xLabel, string yLabel)
    {
        _plot.Title(title);
        _plot.XLabel(xLabel);
        _plot.YLabel(yLabel);
    }

    /// <summary>A line (theory, infinite width).</summary>
    public Figure Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string label, int colour)
    {
        var line = _plot.Add.Scatter(x.ToArray(), y.ToArray());
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.Color = Palette(colour);
        line.LegendText = label;
        return this;
    }

    /// <summary>Points with one-standard-error bars (ensembles); thinned to at most 40 points.</summary>
    public Figure Points(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> standardError, string label, int colour, bool hollow = false)
    {
        int stride = Math.Max(1, x.Count / 40);
        double[] xs = [.. x.Where((_, i) => i % stride == 0)];
        double[] ys = [.. y.Where((_, i) => i % stride == 0)];
        double[] es = [.. standardError.Where((_, i) => i % stride == 0)];
        var points = _plot.Add.Scatter(xs, ys);
        points.LineWidth = 0;
        points.MarkerSize = 7;
        points.MarkerShape = hollow ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
        points.Color = Palette(colour);
        points.LegendText = label;
        var bars = _plot.Add.ErrorBar(xs, ys, es);
        bars.Color = Palette(colour);
        return this;
    }

    /// <summary>A dashed horizontal reference level.</summary>
    public Figure Level(double y, string label)
    {
        var line = _plot.Add.HorizontalLine(y);
        line.LinePattern = LinePattern.Dashed;
        line.Color = Colors.Black;
        line.LegendText = label;
        return this;
    }

    /// <summary>Writes name.png and name.svg; returns both paths.</summary>
    public string[] Save(string directory, string name)
    {
        _plot.ShowLegend(Edge.Right); // outside the data: a legend inside hid points of some figures
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        _plot.SavePng(png, Width, Height);
        _plot.SaveSvg(svg, Width, Height);
        return [png, svg];
    }

    private static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);
}
