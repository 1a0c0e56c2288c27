namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// A factor F (n x r, row-major) with F F^T = K for a positive semidefinite K, by Cholesky with diagonal pivoting;
/// r is the numerical rank, so that h = F z with z ~ N(0, I_r) has covariance K even when K^x is singular (more
/// points than input dimensions).
/// </summary>
internal static class InputFactor
{
    /// <summary>Relative threshold on the remaining diagonal below which the factorisation stops.</summary>
    public const double RankTolerance = 1e-12;

    /// <summary>The factor of <paramref name="k"/> (n x n, row-major) and its rank.</summary>
    public static (double[] Factor, int Rank) Of(double[] k, int n)
    {
        var residual = (double[])k.Clone();
        var columns = new List<double[]>();
        double scale = 0.0;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, k[(i * n) + i]);
        }

        var used = new bool[n];
        while (columns.Count < n)
        {
            int pivot = -1;
            for (int i = 0; i < n; i++)
            {
                if (!used[i] && (pivot < 0 || residual[(i * n) + i] > residual[(pivot * n) + pivot]))
                {
                    pivot = i;
                }
            }

            double d = residual[(pivot * n) + pivot];
            if (d <= RankTolerance * scale)
            {
                break;
            }

            used[pivot] = true;
            var column = new double[n];
            double root = Math.Sqrt(d);
            for (int i = 0; i < n; i++)
            {
                column[i] = used[i] && i != pivot ? 0.0 : residual[(i * n) + pivot] / root;
            }

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    residual[(i * n) + j] -= column[i] * column[j];
                }
            }

            columns.Add(column);
        }

        int rank = columns.Count;
        var factor = new double[n * rank];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < rank; c++)
            {
                factor[(i * rank) + c] = columns[c][i];
            }
        }

        return (factor, rank);
    }
}
