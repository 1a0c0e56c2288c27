using FieldTheory.Results;

namespace FieldTheory.Ensembles;

/// <summary>
/// Keeps the four across-member summaries of every observable at every recorded step and turns them into
/// <see cref="Series"/>. Host memory: 8 (4 (T + 1) Q + E Q) bytes (<see cref="Observables.Count"/> = Q).
/// </summary>
internal sealed class EnsembleRecorder
{
    private readonly Observables _layout;
    private readonly int _members;
    private readonly int _width;
    private readonly List<double[]>[] _summaries = [[], [], [], []];

    public EnsembleRecorder(Observables layout, int members, int width)
    {
        _layout = layout;
        _members = members;
        _width = width;
    }

    /// <summary>Number of steps recorded so far.</summary>
    public int Steps => _summaries[0].Count;

    /// <summary>
    /// Summarises one step's per-member values (members x Q); false, recording nothing, when a summary is not finite
    /// (the values overflowed: the run is diverging).
    /// </summary>
    public bool Add(double[] values)
    {
        double[][] s = [.. Enumerable.Range(0, 4).Select(_ => new double[_layout.Count])];
        SampleStatistics.Summarize(values, _members, _width, s[0], s[1], s[2], s[3]);
        if (!s.All(summary => Array.TrueForAll(summary, double.IsFinite)))
        {
            return false;
        }

        for (int i = 0; i < 4; i++)
        {
            _summaries[i].Add(s[i]);
        }

        return true;
    }

    /// <summary>Mean, standard error, N Var and its standard error as series over the recorded steps.</summary>
    public (Series Mean, Series MeanStdErr, Series Nvar, Series NvarStdErr) ToSeries() =>
        (ToSeries(_summaries[0]), ToSeries(_summaries[1]), ToSeries(_summaries[2]), ToSeries(_summaries[3]));

    private Series ToSeries(List<double[]> steps)
    {
        Observables o = _layout;
        int p = o.Train;
        double[][] Vector(int start, int length) => [.. steps.Select(s => s.AsSpan(start, length).ToArray())];
        double[][][] Matrix(int start) => [.. steps.Select(s => Enumerable.Range(0, p).Select(mu => s.AsSpan(start + (mu * p), p).ToArray()).ToArray())];
        double[][][][] PerLayer(int start) => [.. Enumerable.Range(0, o.Layers).Select(l => Matrix(start + (l * p * p)))];
        return new Series(
            Vector(o.F, p),
            Vector(o.Delta, p),
            Matrix(o.Ntk),
            [.. steps.Select(s => s[o.Loss])],
            o.Test > 0 ? Vector(o.TestF, o.Test) : null,
            PerLayer(o.Feature),
            PerLayer(o.Gradient),
            o.HasTestLoss ? [.. steps.Select(s => s[o.TestLoss])] : null);
    }
}
