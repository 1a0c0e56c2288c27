namespace FieldTheory.Theory.Integration;

/// <summary>
/// Gauss-Hermite rules for the standard normal measure: nodes x_i and weights w_i with
/// sum_i w_i f(x_i) = E[f(z)], z ~ N(0,1), exact for polynomials of degree up to 2n - 1.
/// </summary>
internal static class GaussHermite
{
    /// <summary>The largest supported order: beyond it the orthonormal recurrence overflows near the outer nodes.</summary>
    public const int MaxOrder = 512;

    private const double PiToMinusQuarter = 0.7511255444649425;

    /// <summary>Nodes (ascending) and weights (summing to 1) of the n-point rule.</summary>
    /// <remarks>
    /// Newton iteration on the orthonormal Hermite recurrence with the classic asymptotic starting guesses (Numerical
    /// Recipes' <c>gauher</c>) for the physicists' weight exp(-t^2), rescaled to x = sqrt(2) t, w / sqrt(pi).
    /// </remarks>
    public static (double[] Nodes, double[] Weights) Rule(int n)
    {
        if (n < 1 || n > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Gauss-Hermite order must be 1..{MaxOrder}.");
        }

        var t = new double[n];
        var w = new double[n];
        double z = 0.0;
        for (int i = 0; i < (n + 1) / 2; i++)
        {
            z = i switch
            {
                0 => Math.Sqrt(2.0 * n + 1.0) - 1.85575 * Math.Pow(2.0 * n + 1.0, -0.16667),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * t[0],
                3 => 1.91 * z - 0.91 * t[1],
                _ => 2.0 * z - t[i - 2],
            };

            double derivative = 1.0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double p, double previous) = Orthonormal(n, z);
                derivative = Math.Sqrt(2.0 * n) * previous;
                double step = p / derivative;
                z -= step;
                if (Math.Abs(step) <= 1e-15 * Math.Max(1.0, Math.Abs(z)))
                {
                    break;
                }
            }

            (_, double last) = Orthonormal(n, z);
            derivative = Math.Sqrt(2.0 * n) * last;
            t[i] = z;
            t[n - 1 - i] = -z;
            w[i] = w[n - 1 - i] = 2.0 / (derivative * derivative);
        }

        var nodes = new double[n];
        var weights = new double[n];
        double total = 0.0;
        for (int i = 0; i < n; i++)
        {
            nodes[i] = Math.Sqrt(2.0) * t[n - 1 - i];
            weights[i] = w[n - 1 - i] / Math.Sqrt(Math.PI);
            total += weights[i];
        }

        for (int i = 0; i < n; i++)
        {
            weights[i] /= total;
        }

        return (nodes, weights);
    }

    // The orthonormal Hermite polynomials p_n(z) and p_{n-1}(z) for the weight exp(-z^2).
    private static (double Pn, double PnMinus1) Orthonormal(int n, double z)
    {
        double p1 = PiToMinusQuarter;
        double p2 = 0.0;
        for (int j = 0; j < n; j++)
        {
            double p3 = p2;
            p2 = p1;
            p1 = (z * Math.Sqrt(2.0 / (j + 1)) * p2) - (Math.Sqrt((double)j / (j + 1)) * p3);
        }

        return (p1, p2);
    }
}
