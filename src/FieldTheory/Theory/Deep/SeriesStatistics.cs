using FieldTheory.Results;

namespace FieldTheory.Theory.Deep;

/// <summary>Entry-wise statistics over <see cref="Series"/> of the same shape.</summary>
internal static class SeriesStatistics
{
    /// <summary>Sample standard deviation of every entry over the replicas (at least two).</summary>
    public static Series StandardDeviation(IReadOnlyList<Series> replicas) => Map(replicas, values =>
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    });

    /// <summary>sqrt(a^2 + b^2) entry-wise.</summary>
    public static Series Quadrature(Series a, Series b) => Map([a, b], v => Math.Sqrt(v[0] * v[0] + v[1] * v[1]));

    private static Series Map(IReadOnlyList<Series> s, Func<double[], double> reduce)
    {
        double[] R1(Func<Series, double[]> pick) => Reduce1(s.Select(pick).ToArray(), reduce);
        double[][] R2(Func<Series, double[][]> pick) => Enumerable.Range(0, pick(s[0]).Length)
            .Select(n => Reduce1(s.Select(x => pick(x)[n]).ToArray(), reduce)).ToArray();
        double[][][] R3(Func<Series, double[][][]> pick) => Enumerable.Range(0, pick(s[0]).Length)
            .Select(n => R2(x => pick(x)[n])).ToArray();
        double[][][][] R4(Func<Series, double[][][][]> pick) => Enumerable.Range(0, pick(s[0]).Length)
            .Select(l => R3(x => pick(x)[l])).ToArray();

        return new Series(
            R2(x => x.F),
            R2(x => x.Delta),
            R3(x => x.Ntk),
            R1(x => x.Loss),
            s[0].TestF is null ? null : R2(x => x.TestF!),
            s[0].FeatureKernel is null ? null : R4(x => x.FeatureKernel!),
            s[0].GradientKernel is null ? null : R4(x => x.GradientKernel!));
    }

    private static double[] Reduce1(double[][] rows, Func<double[], double> reduce) =>
        Enumerable.Range(0, rows[0].Length).Select(k => reduce(rows.Select(r => r[k]).ToArray())).ToArray();
}
