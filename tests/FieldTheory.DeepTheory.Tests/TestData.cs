namespace FieldTheory.DeepTheory.Tests;

/// <summary>Small deterministic data sets for the solvers.</summary>
internal static class TestData
{
    /// <summary>K^x = x x^T / D for <paramref name="points"/> random inputs in D dimensions (fixed seed).</summary>
    public static double[] RandomGram(int points, int dimension, int seed)
    {
        var random = new Random(seed);
        var x = new double[points, dimension];
        for (int i = 0; i < points; i++)
        {
            for (int d = 0; d < dimension; d++)
            {
                x[i, d] = NextNormal(random);
            }
        }

        var gram = new double[points * points];
        for (int i = 0; i < points; i++)
        {
            for (int j = 0; j < points; j++)
            {
                double sum = 0;
                for (int d = 0; d < dimension; d++)
                {
                    sum += x[i, d] * x[j, d];
                }

                gram[i * points + j] = sum / dimension;
            }
        }

        return gram;
    }

    public static double[] Targets(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => NextNormal(random))];
    }

    private static double NextNormal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
