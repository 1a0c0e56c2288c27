namespace FieldTheory.Ensembles;

/// <summary>
/// Across-member statistics of Q observables at one step (DESIGN.md section 5): mean, its standard error, N times the
/// unbiased variance, and the standard error of that variance estimate, sqrt((m4 - m2^2) / E) times N, with m2 and m4
/// the second and fourth central sample moments (the variance of the (x - mean)^2 terms over E).
/// </summary>
internal static class SampleStatistics
{
    /// <summary>Summaries of <paramref name="values"/> (members x Q, row-major) into the four outputs of length Q.</summary>
    public static void Summarize(double[] values, int members, int width, double[] mean, double[] meanStdErr, double[] nvar, double[] nvarStdErr)
    {
        int q = mean.Length;
        Parallel.For(0, (q + 63) / 64, chunk =>
        {
            int end = Math.Min(q, (chunk + 1) * 64);
            for (int k = chunk * 64; k < end; k++)
            {
                double sum = 0.0;
                for (int m = 0; m < members; m++)
                {
                    sum += values[((long)m * q) + k];
                }

                double average = sum / members;
                double m2 = 0.0, m4 = 0.0;
                for (int m = 0; m < members; m++)
                {
                    double d = values[((long)m * q) + k] - average;
                    double d2 = d * d;
                    m2 += d2;
                    m4 += d2 * d2;
                }

                double unbiased = m2 / (members - 1);
                m2 /= members;
                m4 /= members;
                mean[k] = average;
                meanStdErr[k] = Math.Sqrt(unbiased / members);
                nvar[k] = width * unbiased;
                nvarStdErr[k] = width * Math.Sqrt(Math.Max(0.0, m4 - (m2 * m2)) / members);
            }
        });
    }
}
