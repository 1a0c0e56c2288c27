namespace FieldTheory.Testing;

/// <summary>
/// Physicists' Gauss-Hermite nodes and weights (weight exp(-x^2)), computed in the tests independently of the
/// library's Golub-Welsch rule, so that quadrature references do not share code with what they check.
/// </summary>
internal static class HermiteNodes
{
    /// <summary>The n-point rule by Newton iteration on the orthonormal recurrence.</summary>
    public static (double[] X, double[] W) Of(int n)
    {
        var x = new double[n];
        var w = new double[n];
        double z = 0;
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            z = i switch
            {
                0 => Math.Sqrt(2 * n + 1) - 1.85575 * Math.Pow(2 * n + 1, -0.16667),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2 * z - x[i - 2],
            };
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p1 = Math.Pow(Math.PI, -0.25), p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.Sqrt(2.0 / j) * p2 - Math.Sqrt((j - 1.0) / j) * p3;
                }

                derivative = Math.Sqrt(2.0 * n) * p2;
                double step = p1 / derivative;
                z -= step;
                if (Math.Abs(step) < 1e-15)
                {
                    break;
                }
            }

            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2 / (derivative * derivative);
            w[n - 1 - i] = w[i];
        }

        return (x, w);
    }
}
