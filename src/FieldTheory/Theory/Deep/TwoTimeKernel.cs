namespace FieldTheory.Theory.Deep;

/// <summary>
/// A symmetric two-time kernel K_{mu nu}(n, m) over steps n, m = 0..T and all points (train then test), stored as one
/// dense matrix over the time-major index i = n * Points + mu.
/// </summary>
internal sealed class TwoTimeKernel
{
    private readonly double[] _values;

    internal TwoTimeKernel(double[] values, int points, int steps)
    {
        _values = values;
        Points = points;
        Steps = steps;
    }

    /// <summary>Train plus test points.</summary>
    public int Points { get; }

    /// <summary>T: the kernel covers steps 0..T.</summary>
    public int Steps { get; }

    /// <summary>K_{mu nu}(n, m).</summary>
    public double this[int n, int mu, int m, int nu] => _values[(long)(n * Points + mu) * (Points * (Steps + 1)) + m * Points + nu];

    /// <summary>The equal-time block K_{mu nu}(n, n) over the first <paramref name="count"/> points, [mu][nu].</summary>
    public double[][] EqualTime(int n, int count)
    {
        var block = new double[count][];
        for (int mu = 0; mu < count; mu++)
        {
            block[mu] = new double[count];
            for (int nu = 0; nu < count; nu++)
            {
                block[mu][nu] = this[n, mu, n, nu];
            }
        }

        return block;
    }

    /// <summary>K over the first <paramref name="count"/> points as [n][m][mu][nu].</summary>
    public double[][][][] ToArray(int count)
    {
        var result = new double[Steps + 1][][][];
        for (int n = 0; n <= Steps; n++)
        {
            result[n] = new double[Steps + 1][][];
            for (int m = 0; m <= Steps; m++)
            {
                result[n][m] = new double[count][];
                for (int mu = 0; mu < count; mu++)
                {
                    result[n][m][mu] = new double[count];
                    for (int nu = 0; nu < count; nu++)
                    {
                        result[n][m][mu][nu] = this[n, mu, m, nu];
                    }
                }
            }
        }

        return result;
    }
}
