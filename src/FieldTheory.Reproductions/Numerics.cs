namespace FieldTheory.Reproductions;

/// <summary>Small numerical helpers of the reproductions.</summary>
internal static class Numerics
{
    /// <summary>Largest eigenvalue of a symmetric positive semi-definite matrix (the NTK), by power iteration.</summary>
    public static double TopEigenvalue(double[][] matrix)
    {
        int n = matrix.Length;
        var v = Enumerable.Repeat(1.0 / Math.Sqrt(n), n).ToArray();
        double lambda = 0.0;
        for (int iteration = 0; iteration < 500; iteration++)
        {
            double[] w = [.. matrix.Select(row => row.Zip(v, (a, b) => a * b).Sum())];
            double norm = Math.Sqrt(w.Sum(x => x * x));
            if (norm == 0 || !double.IsFinite(norm))
            {
                return norm;
            }

            double next = v.Zip(w, (a, b) => a * b).Sum();
            v = [.. w.Select(x => x / norm)];
            if (Math.Abs(next - lambda) <= 1e-13 * Math.Abs(next))
            {
                return next;
            }

            lambda = next;
        }

        return lambda;
    }

    /// <summary>
    /// True when <paramref name="high"/> exceeds <paramref name="low"/> by more than four standard errors of the
    /// difference (independent estimates: sqrt(se_low^2 + se_high^2)).
    /// </summary>
    public static bool ClearlyAbove(double high, double seHigh, double low, double seLow) =>
        high - low > 4.0 * Math.Sqrt((seHigh * seHigh) + (seLow * seLow));

    public static string F(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
