using FieldTheory.Results;

namespace FieldTheory.Theory;

/// <summary>|a - b| entry by entry for two series of the same shape: the two-resolution error estimate.</summary>
internal static class SeriesDifference
{
    /// <summary>The entrywise absolute difference.</summary>
    public static Series Absolute(Series a, Series b) => new(
        Rows(a.F, b.F),
        Rows(a.Delta, b.Delta),
        Matrices(a.Ntk, b.Ntk),
        Vector(a.Loss, b.Loss),
        a.TestF is null || b.TestF is null ? null : Rows(a.TestF, b.TestF),
        a.FeatureKernel is null || b.FeatureKernel is null ? null : [.. a.FeatureKernel.Zip(b.FeatureKernel, Matrices)],
        a.GradientKernel is null || b.GradientKernel is null ? null : [.. a.GradientKernel.Zip(b.GradientKernel, Matrices)]);

    private static double[] Vector(double[] a, double[] b) => [.. a.Zip(b, (x, y) => Math.Abs(x - y))];

    private static double[][] Rows(double[][] a, double[][] b) => [.. a.Zip(b, Vector)];

    private static double[][][] Matrices(double[][][] a, double[][][] b) => [.. a.Zip(b, Rows)];
}
