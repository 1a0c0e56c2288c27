namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// A truncated pivoted Cholesky factor V (n x r, row-major) of a positive semidefinite matrix, V V^T = A - E, stopped
/// when the trace of the remainder E is at most a fraction of A's trace. The temporal covariance Sigma of a smooth
/// two-layer network is numerically of low rank, so the second-order tangents of <see cref="MeanShift"/> run along r
/// directions instead of n; the neglected part changes D2 : Sigma by at most |D2| Tr E.
/// </summary>
internal static class LowRankFactor
{
    /// <summary>Remainder trace allowed, relative to the trace of the matrix.</summary>
    public const double RelativeTrace = 1e-10;

    /// <summary>The factor of <paramref name="a"/> (n x n) and its rank r.</summary>
    public static (double[] Factor, int Rank) Of(double[] a, int n, double relativeTrace = RelativeTrace)
    {
        var residual = new double[n];
        double trace = 0.0;
        for (int i = 0; i < n; i++)
        {
            residual[i] = Math.Max(a[(i * n) + i], 0.0);
            trace += residual[i];
        }

        var columns = new List<double[]>();
        var used = new bool[n];
        while (columns.Count < n)
        {
            double remaining = 0.0;
            int pivot = -1;
            for (int i = 0; i < n; i++)
            {
                if (!used[i])
                {
                    remaining += residual[i];
                    if (pivot < 0 || residual[i] > residual[pivot])
                    {
                        pivot = i;
                    }
                }
            }

            if (pivot < 0 || remaining <= relativeTrace * trace || residual[pivot] <= 0.0)
            {
                break;
            }

            used[pivot] = true;
            double root = Math.Sqrt(residual[pivot]);
            var column = new double[n];
            for (int i = 0; i < n; i++)
            {
                if (used[i] && i != pivot)
                {
                    continue;
                }

                double value = a[(i * n) + pivot];
                foreach (double[] previous in columns)
                {
                    value -= previous[i] * previous[pivot];
                }

                column[i] = value / root;
            }

            for (int i = 0; i < n; i++)
            {
                if (!used[i])
                {
                    residual[i] = Math.Max(residual[i] - (column[i] * column[i]), 0.0);
                }
            }

            columns.Add(column);
        }

        int rank = columns.Count;
        var factor = new double[n * rank];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < rank; k++)
            {
                factor[(i * rank) + k] = columns[k][i];
            }
        }

        return (factor, rank);
    }
}
