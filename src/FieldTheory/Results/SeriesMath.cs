namespace FieldTheory.Results;

/// <summary>Entry-by-entry arithmetic on <see cref="Series"/> of the same shape (optional parts combine when both have them).</summary>
internal static class SeriesMath
{
    /// <summary>f(a, b) applied to every pair of matching entries.</summary>
    public static Series Combine(Series a, Series b, Func<double, double, double> f) => new(
        Map(a.F, b.F, f),
        Map(a.Delta, b.Delta, f),
        Map(a.Ntk, b.Ntk, f),
        Map(a.Loss, b.Loss, f),
        a.TestF is not null && b.TestF is not null ? Map(a.TestF, b.TestF, f) : null,
        a.FeatureKernel is not null && b.FeatureKernel is not null ? Map(a.FeatureKernel, b.FeatureKernel, f) : null,
        a.GradientKernel is not null && b.GradientKernel is not null ? Map(a.GradientKernel, b.GradientKernel, f) : null,
        a.TestLoss is not null && b.TestLoss is not null ? Map(a.TestLoss, b.TestLoss, f) : null);

    /// <summary>(ensemble - theory) / standard error, entry by entry; a zero standard error gives NaN, not infinity.</summary>
    public static Series InStandardErrors(Series ensemble, Series standardError, Series theory) =>
        Combine(Combine(ensemble, theory, (e, t) => e - t), standardError, (d, se) => se > 0 ? d / se : double.NaN);

    /// <summary>
    /// The comparison block for a result with both an ensemble and a theory: each difference in units of the ensemble's
    /// standard error and the theory's integration error added in quadrature (the ensemble's alone where the theory is
    /// exact or reports no error for that series), so that a coarse theory does not pass for a disagreement.
    /// </summary>
    public static Comparison Compare(EnsembleResult ensemble, TheoryResult theory) => new(
        InStandardErrors(ensemble.Mean, InQuadrature(ensemble.MeanStdErr, theory.IntegrationError), theory.Mean),
        theory.Nvar is null ? null : InStandardErrors(ensemble.Nvar, InQuadrature(ensemble.NvarStdErr, theory.NvarIntegrationError), theory.Nvar));

    /// <summary>
    /// sqrt(a^2 + b^2) entry by entry for every series <paramref name="b"/> has in the same shape, <paramref name="a"/>'s
    /// values for the rest.
    /// </summary>
    public static Series InQuadrature(Series a, Series? b)
    {
        if (b is null)
        {
            return a;
        }

        static double Add(double x, double y) => Math.Sqrt((x * x) + (y * y));
        static T[]? Part<T>(T[]? x, T[]? y, Func<T[], T[], T[]> add) => x is null || y is null || x.Length != y.Length ? x : add(x, y);
        return new Series(
            Part(a.F, b.F, (x, y) => Map(x, y, Add))!,
            Part(a.Delta, b.Delta, (x, y) => Map(x, y, Add))!,
            Part(a.Ntk, b.Ntk, (x, y) => Map(x, y, Add))!,
            Part(a.Loss, b.Loss, (x, y) => Map(x, y, Add))!,
            Part(a.TestF, b.TestF, (x, y) => Map(x, y, Add)),
            Part(a.FeatureKernel, b.FeatureKernel, (x, y) => Map(x, y, Add)),
            Part(a.GradientKernel, b.GradientKernel, (x, y) => Map(x, y, Add)),
            Part(a.TestLoss, b.TestLoss, (x, y) => Map(x, y, Add)));
    }

    /// <summary>The first <paramref name="count"/> time steps of every time series (when an ensemble stopped early).</summary>
    public static Series Truncate(Series s, int count) => new(
        Head(s.F, count),
        Head(s.Delta, count),
        Head(s.Ntk, count),
        Head(s.Loss, count),
        s.TestF is null ? null : Head(s.TestF, count),
        s.FeatureKernel?.Select(l => Head(l, count)).ToArray(),
        s.GradientKernel?.Select(l => Head(l, count)).ToArray(),
        s.TestLoss is null ? null : Head(s.TestLoss, count));

    // Series that a solver leaves empty (e.g. online learning's bias has only the loss) stay empty.
    private static T[] Head<T>(T[] values, int count) => values.Length <= count ? values : values[..count];

    private static double[] Map(double[] a, double[] b, Func<double, double, double> f)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Series of different lengths ({a.Length} and {b.Length}) cannot be compared entry by entry.");
        }

        var r = new double[a.Length];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = f(a[i], b[i]);
        }

        return r;
    }

    private static double[][] Map(double[][] a, double[][] b, Func<double, double, double> f) =>
        Zip(a, b, (x, y) => Map(x, y, f));

    private static double[][][] Map(double[][][] a, double[][][] b, Func<double, double, double> f) =>
        Zip(a, b, (x, y) => Map(x, y, f));

    private static double[][][][] Map(double[][][][] a, double[][][][] b, Func<double, double, double> f) =>
        Zip(a, b, (x, y) => Map(x, y, f));

    private static T[] Zip<T>(T[] a, T[] b, Func<T, T, T> f) => a.Length == b.Length
        ? a.Zip(b, f).ToArray()
        : throw new ArgumentException($"Series of different lengths ({a.Length} and {b.Length}) cannot be compared entry by entry.");
}
