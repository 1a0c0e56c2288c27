using FieldTheory.Results;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>Flattens a <see cref="Series"/> into one vector and back, to combine the estimates of a rule's groups entry by entry.</summary>
internal static class SeriesVector
{
    /// <summary>The rule's estimate and error of every entry from one series per group (all of the same shape).</summary>
    public static (Series Estimate, Series Error) Combine(SiteRule rule, IReadOnlyList<Series> perGroup)
    {
        var flat = perGroup.Select(Flatten).ToArray();
        int length = flat[0].Length;
        var estimate = new double[length];
        var error = new double[length];
        var values = new double[perGroup.Count];
        for (int k = 0; k < length; k++)
        {
            for (int g = 0; g < values.Length; g++)
            {
                values[g] = flat[g][k];
            }

            (estimate[k], error[k]) = rule.Combine(values);
        }

        return (Rebuild(perGroup[0], estimate), Rebuild(perGroup[0], error));
    }

    /// <summary>All entries in a fixed order: F, Delta, Ntk, Loss, then TestF and FeatureKernel when present.</summary>
    public static double[] Flatten(Series s)
    {
        var values = new List<double>();
        foreach (double[] row in s.F)
        {
            values.AddRange(row);
        }

        foreach (double[] row in s.Delta)
        {
            values.AddRange(row);
        }

        foreach (double[] row in s.Ntk.SelectMany(m => m))
        {
            values.AddRange(row);
        }

        values.AddRange(s.Loss);
        foreach (double[] row in s.TestF ?? [])
        {
            values.AddRange(row);
        }

        foreach (double[] row in (s.FeatureKernel ?? []).SelectMany(l => l).SelectMany(m => m))
        {
            values.AddRange(row);
        }

        return [.. values];
    }

    /// <summary>A series of <paramref name="shape"/>'s shape holding <paramref name="values"/> in <see cref="Flatten"/> order.</summary>
    public static Series Rebuild(Series shape, double[] values)
    {
        int next = 0;
        double[] Take(int n)
        {
            var row = values.AsSpan(next, n).ToArray();
            next += n;
            return row;
        }

        double[][] Rows(double[][] like) => [.. like.Select(r => Take(r.Length))];
        double[][][] Matrices(double[][][] like) => [.. like.Select(Rows)];
        var f = Rows(shape.F);
        var delta = Rows(shape.Delta);
        var ntk = Matrices(shape.Ntk);
        var loss = Take(shape.Loss.Length);
        var testF = shape.TestF is null ? null : Rows(shape.TestF);
        var feature = shape.FeatureKernel?.Select(Matrices).ToArray();
        return new Series(f, delta, ntk, loss, testF, feature);
    }
}
