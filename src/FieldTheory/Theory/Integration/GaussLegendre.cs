namespace FieldTheory.Theory.Integration;

/// <summary>Gauss-Legendre rules on [-1, 1]: exact for polynomials of degree up to 2n - 1.</summary>
internal static class GaussLegendre
{
    /// <summary>Nodes (ascending) and weights (summing to 2) of the n-point rule, by Newton iteration on P_n.</summary>
    public static (double[] Nodes, double[] Weights) Rule(int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Gauss-Legendre order must be at least 1.");
        }

        var nodes = new double[n];
        var weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            double z = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 1.0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double p, derivative) = Legendre(n, z);
                double step = p / derivative;
                z -= step;
                if (Math.Abs(step) <= 1e-16)
                {
                    break;
                }
            }

            (_, derivative) = Legendre(n, z);
            nodes[i] = -z;
            nodes[n - 1 - i] = z;
            weights[i] = weights[n - 1 - i] = 2.0 / ((1.0 - (z * z)) * derivative * derivative);
        }

        return (nodes, weights);
    }

    private static (double P, double Derivative) Legendre(int n, double z)
    {
        double p1 = 1.0;
        double p2 = 0.0;
        for (int j = 0; j < n; j++)
        {
            double p3 = p2;
            p2 = p1;
            p1 = (((2.0 * j) + 1.0) * z * p2 - (j * p3)) / (j + 1);
        }

        return (p1, n * ((z * p1) - p2) / ((z * z) - 1.0));
    }
}
