namespace FieldTheory.Convolutions;

/// <summary>
/// The ensemble mean and the scaled across-member variance N Var of the exact probe NTK at one width and step
/// (docs/cnn.md; K = gamma0^2 N grad f . grad f' as in DESIGN.md section 2). Rows and columns are probe image q and
/// output c at index q C + c. Means carry the standard error sd / sqrt(E); variances are unbiased (1 / (E - 1)) with
/// standard errors from the delete-one jackknife over members. At infinite width K is deterministic, so N Var K is the
/// O(1) finite-width fluctuation of the kernel (DESIGN.md section 4).
/// </summary>
/// <param name="Width">N.</param>
/// <param name="Step">Training step n.</param>
/// <param name="MeanDiagonal">Ensemble mean of a member's mean diagonal entry (1/(Q C)) sum_a K_aa.</param>
/// <param name="MeanDiagonalNVariance">N times the across-member variance of that mean diagonal entry.</param>
/// <param name="EntryNVariance">N times the across-member variance of an entry, averaged over all (Q C)^2 entries.</param>
/// <param name="Mean">Ensemble mean of every entry.</param>
/// <param name="MeanStdErr">Standard error of every entry of <see cref="Mean"/>.</param>
/// <param name="NVariance">N times the across-member variance of every entry.</param>
/// <param name="NVarianceStdErr">Standard error of every entry of <see cref="NVariance"/>.</param>
public sealed record ProbeNtkStatistics(
    int Width,
    int Step,
    Estimate MeanDiagonal,
    Estimate MeanDiagonalNVariance,
    Estimate EntryNVariance,
    double[][] Mean,
    double[][] MeanStdErr,
    double[][] NVariance,
    double[][] NVarianceStdErr)
{
    /// <summary>The statistics of record <paramref name="record"/> of <paramref name="result"/> (which must have a probe).</summary>
    internal static ProbeNtkStatistics Of(CnnEnsembleResult result, int record)
    {
        int e = result.Members, rows = result.ProbeRows, width = result.Architecture.Width;
        var diagonal = new double[e];
        var entry = new double[e];
        var mean = new double[rows][];
        var meanSe = new double[rows][];
        var variance = new double[rows][];
        var varianceSe = new double[rows][];
        var leaveOut = new double[e][];
        for (int m = 0; m < e; m++)
        {
            leaveOut[m] = new double[rows * rows];
        }

        for (int a = 0; a < rows; a++)
        {
            (mean[a], meanSe[a], variance[a], varianceSe[a]) = (new double[rows], new double[rows], new double[rows], new double[rows]);
            for (int b = 0; b < rows; b++)
            {
                double[] values = Enumerable.Range(0, e).Select(m => result.Ntk(m, record)[(a * rows) + b]).ToArray();
                Estimate mu = MeanOf(values);
                (Estimate v, double[] deleted) = VarianceOf(values);
                (mean[a][b], meanSe[a][b]) = (mu.Value, mu.StdErr);
                (variance[a][b], varianceSe[a][b]) = (width * v.Value, width * v.StdErr);
                for (int m = 0; m < e; m++)
                {
                    leaveOut[m][(a * rows) + b] = deleted[m];
                }

                if (a == b)
                {
                    for (int m = 0; m < e; m++)
                    {
                        diagonal[m] += values[m] / rows;
                    }
                }
            }
        }

        double entryMean = variance.Sum(r => r.Sum()) / (rows * rows);
        for (int m = 0; m < e; m++)
        {
            entry[m] = width * leaveOut[m].Average();
        }

        (Estimate diagonalVariance, _) = VarianceOf(diagonal);
        return new ProbeNtkStatistics(
            width,
            result.RecordedSteps[record],
            MeanOf(diagonal),
            new Estimate(width * diagonalVariance.Value, width * diagonalVariance.StdErr),
            new Estimate(entryMean, Jackknife(entry)),
            mean,
            meanSe,
            variance,
            varianceSe);
    }

    private static Estimate MeanOf(double[] values)
    {
        double mean = values.Average();
        double squares = values.Sum(v => (v - mean) * (v - mean));
        return new Estimate(mean, Math.Sqrt(squares / (values.Length - 1) / values.Length));
    }

    /// <summary>The unbiased variance with its delete-one jackknife error, and the delete-one variances themselves.</summary>
    private static (Estimate Variance, double[] LeaveOut) VarianceOf(double[] values)
    {
        int e = values.Length;
        double s1 = values.Sum(), s2 = values.Sum(v => v * v);
        double variance = (s2 - (s1 * s1 / e)) / (e - 1);
        var leaveOut = new double[e];
        for (int m = 0; m < e; m++)
        {
            double r1 = s1 - values[m], r2 = s2 - (values[m] * values[m]);
            leaveOut[m] = e > 2 ? (r2 - (r1 * r1 / (e - 1))) / (e - 2) : double.NaN;
        }

        return (new Estimate(Math.Max(0.0, variance), Jackknife(leaveOut)), leaveOut);
    }

    private static double Jackknife(double[] leaveOut)
    {
        int e = leaveOut.Length;
        double mean = leaveOut.Average();
        return Math.Sqrt(leaveOut.Sum(v => (v - mean) * (v - mean)) * (e - 1) / e);
    }
}
