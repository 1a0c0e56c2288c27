using System.Globalization;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;
using FieldTheory.Sweeps;

namespace FieldTheory.Cli.Plots;

/// <summary>
/// The figures of a collected sweep (PNG and SVG): every point's mean error Delta_0(t), ensemble points with one
/// standard error and theory lines in one colour per point; and, when the first swept parameter is numeric, the final
/// loss and the final N Var K_00 against it, one curve per combination of the other parameters.
/// </summary>
internal static class SweepPlots
{
    /// <summary>Colours of the palette before they repeat; more points than this share colours.</summary>
    private const int Colours = 10;

    /// <summary>Writes the figures into <paramref name="directory"/> and returns the files written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<SweepRow> rows, string directory)
    {
        var files = new List<string>();
        files.AddRange(Trajectories(rows).Save(directory, "sweep-delta"));
        if (rows.Count > 1 && NumericFirstParameter(rows) is { } x)
        {
            string axis = rows[0].Parameters[0].Path;
            files.AddRange(Summary(rows, x, axis, "Final training loss", "loss(T)", "ensembleFinalLoss", "ensembleFinalLossStdErr", "theoryFinalLoss")
                .Save(directory, "sweep-final-loss"));
            if (rows.Any(r => !double.IsNaN(r.Metrics["ensembleFinalNvarNtk00"])))
            {
                files.AddRange(Summary(rows, x, axis, "Final N Var K_00 over initialisations", "N Var K_00(T)", "ensembleFinalNvarNtk00", "ensembleFinalNvarNtk00StdErr", null)
                    .Save(directory, "sweep-nvar-ntk"));
            }
        }

        return files;
    }

    private static Figure Trajectories(IReadOnlyList<SweepRow> rows)
    {
        var figure = new Figure("Mean error Delta_0(t) at every point of the sweep", "t = n eta", "Delta_0");
        for (int i = 0; i < rows.Count; i++)
        {
            ExperimentResult result = rows[i].Result;
            if (result.Ensemble is { } e)
            {
                figure.Points(result.Time[..e.Mean.Delta.Length], Column(e.Mean.Delta), Column(e.MeanStdErr.Delta), $"{rows[i].Name}: ensemble", i % Colours);
            }

            if (result.Theory is { } theory)
            {
                figure.Line(result.Time[..theory.Mean.Delta.Length], Column(theory.Mean.Delta), $"{rows[i].Name}: theory", i % Colours);
            }
        }

        return figure;
    }

    // One curve per combination of the parameters after the first, in the order the rows come (grid order).
    private static Figure Summary(IReadOnlyList<SweepRow> rows, double[] x, string axis, string title, string yLabel, string ensemble, string ensembleError, string? theory)
    {
        var figure = new Figure($"{title} against {axis}", axis, yLabel);
        var curves = rows.Select((row, i) => (Key: string.Join(", ", row.Parameters.Skip(1).Select(p => $"{p.Path}={p.Value}")), Index: i))
            .GroupBy(c => c.Key)
            .ToArray();
        for (int c = 0; c < curves.Length; c++)
        {
            int[] members = [.. curves[c].Select(m => m.Index).OrderBy(i => x[i])];
            double[] xs = [.. members.Select(i => x[i])];
            string label = curves[c].Key.Length == 0 ? string.Empty : $" ({curves[c].Key})";
            double[] values = [.. members.Select(i => rows[i].Metrics[ensemble])];
            if (values.Any(v => !double.IsNaN(v)))
            {
                figure.Points(xs, values, [.. members.Select(i => rows[i].Metrics[ensembleError])], "ensemble" + label, c % Colours);
            }

            if (theory is not null && members.Any(i => !double.IsNaN(rows[i].Metrics[theory])))
            {
                figure.Line(xs, [.. members.Select(i => rows[i].Metrics[theory])], "theory" + label, c % Colours);
            }
        }

        return figure;
    }

    private static double[]? NumericFirstParameter(IReadOnlyList<SweepRow> rows)
    {
        var x = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (!double.TryParse(rows[i].Parameters[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out x[i]))
            {
                return null;
            }
        }

        return x;
    }

    private static double[] Column(double[][] values) => [.. values.Select(row => row[0])];
}
