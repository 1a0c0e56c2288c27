namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>One-dimensional Gauss-Hermite quadrature for E[F(u)], u ~ N(0, variance).</summary>
internal static class GaussHermite
{
    private static readonly (double[] X, double[] W) Rule = Nodes(120);

    public static double Expect(Func<double, double> f, double variance)
    {
        double sum = 0, scale = Math.Sqrt(2 * variance);
        for (int i = 0; i < Rule.X.Length; i++)
        {
            sum += Rule.W[i] * f(scale * Rule.X[i]);
        }

        return sum / Math.Sqrt(Math.PI);
    }

    /// <summary>d E[F(u)] / d variance by a central difference of the quadrature in the variance.</summary>
    public static double VarianceDerivative(Func<double, double> f, double variance)
    {
        double step = 1e-4 * variance;
        return (Expect(f, variance + step) - Expect(f, variance - step)) / (2 * step);
    }

    // Physicists' Gauss-Hermite nodes and weights (weight exp(-x^2)) by Newton iteration on the orthonormal recurrence.
    private static (double[] X, double[] W) Nodes(int n)
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
