namespace FieldTheory.Convolutions;

/// <summary>
/// Bias and variance over initialisations of the test loss and test error at one width and step (docs/cnn.md).
/// With member outputs f_mj on test image j (targets y_j = +-1), the ensemble mean fbar_j and per-image mean squared
/// error as the test loss:
/// <code>
///   Variance = (1/P_test) sum_j 1/(E-1) sum_m (f_mj - fbar_j)^2            (unbiased)
///   Bias     = (1/P_test) sum_j (y_j - fbar_j)^2 - Variance / E           (loss of the ensemble-mean predictor, finite-E corrected)
///   Bias + Variance = mean member test loss, exactly.
/// </code>
/// Standard errors by the delete-one jackknife over members. For the 0-1 test error, which has no additive
/// decomposition, the result gives the ensemble-mean predictor's error (sign fbar), the mean member error and the
/// disagreement rate P(sign f_m != sign fbar) as the variance part.
/// </summary>
/// <param name="Width">N.</param>
/// <param name="Step">Training step n.</param>
/// <param name="Bias">Test loss of the ensemble-mean predictor.</param>
/// <param name="Variance">Mean over test images of the across-member variance of f.</param>
/// <param name="MemberLoss">Mean member test loss (= Bias + Variance).</param>
/// <param name="EnsembleError">Test error of sign(fbar).</param>
/// <param name="MemberError">Mean member test error.</param>
/// <param name="Disagreement">Mean fraction of test images where a member's sign differs from sign(fbar).</param>
/// <param name="TrainLoss">Mean member training loss, (1/P) sum_mu (y_mu - f_mu)^2.</param>
public sealed record BiasVarianceDecomposition(
    int Width,
    int Step,
    Estimate Bias,
    Estimate Variance,
    Estimate MemberLoss,
    double EnsembleError,
    Estimate MemberError,
    Estimate Disagreement,
    Estimate TrainLoss)
{
    /// <summary>The decomposition of record <paramref name="record"/> of <paramref name="result"/>.</summary>
    internal static BiasVarianceDecomposition Of(CnnEnsembleResult result, int record)
    {
        int e = result.Members, p = result.TestTargets.Length;
        double[] y = result.TestTargets;
        var s1 = new double[p];
        var s2 = new double[p];
        for (int m = 0; m < e; m++)
        {
            ReadOnlySpan<double> f = result.TestOutput(m, record);
            for (int j = 0; j < p; j++)
            {
                s1[j] += f[j];
                s2[j] += f[j] * f[j];
            }
        }

        (double bias, double variance) = Statistic(s1, s2, y, e);
        var biasLeaveOut = new double[e];
        var varianceLeaveOut = new double[e];
        var d1 = new double[p];
        var d2 = new double[p];
        for (int m = 0; m < e; m++)
        {
            ReadOnlySpan<double> f = result.TestOutput(m, record);
            for (int j = 0; j < p; j++)
            {
                d1[j] = s1[j] - f[j];
                d2[j] = s2[j] - (f[j] * f[j]);
            }

            (biasLeaveOut[m], varianceLeaveOut[m]) = Statistic(d1, d2, y, e - 1);
        }

        var memberError = new double[e];
        var disagreement = new double[e];
        var memberLoss = new double[e];
        var trainLoss = new double[e];
        for (int m = 0; m < e; m++)
        {
            ReadOnlySpan<double> f = result.TestOutput(m, record);
            for (int j = 0; j < p; j++)
            {
                double mean = s1[j] / e;
                memberError[m] += Math.Sign(f[j]) != Math.Sign(y[j]) ? 1.0 / p : 0.0;
                disagreement[m] += Math.Sign(f[j]) != Math.Sign(mean) ? 1.0 / p : 0.0;
                memberLoss[m] += (y[j] - f[j]) * (y[j] - f[j]) / p;
            }

            ReadOnlySpan<double> train = result.TrainOutput(m, record);
            for (int mu = 0; mu < train.Length; mu++)
            {
                double r = result.TrainTargets[mu] - train[mu];
                trainLoss[m] += r * r / train.Length;
            }
        }

        double ensembleError = 0;
        for (int j = 0; j < p; j++)
        {
            ensembleError += Math.Sign(s1[j]) != Math.Sign(y[j]) ? 1.0 / p : 0.0;
        }

        return new BiasVarianceDecomposition(
            result.Architecture.Width,
            result.RecordedSteps[record],
            new Estimate(bias, Jackknife(biasLeaveOut)),
            new Estimate(variance, Jackknife(varianceLeaveOut)),
            MeanOf(memberLoss),
            ensembleError,
            MeanOf(memberError),
            MeanOf(disagreement),
            MeanOf(trainLoss));
    }

    private static (double Bias, double Variance) Statistic(double[] s1, double[] s2, double[] y, int e)
    {
        double variance = 0, squaredError = 0;
        for (int j = 0; j < y.Length; j++)
        {
            double mean = s1[j] / e;
            variance += Math.Max(0.0, s2[j] - (s1[j] * mean)) / (e - 1);
            squaredError += (y[j] - mean) * (y[j] - mean);
        }

        variance /= y.Length;
        return ((squaredError / y.Length) - (variance / e), variance);
    }

    private static double Jackknife(double[] leaveOut)
    {
        int e = leaveOut.Length;
        double mean = leaveOut.Average();
        double sum = 0;
        foreach (double v in leaveOut)
        {
            sum += (v - mean) * (v - mean);
        }

        return Math.Sqrt(sum * (e - 1) / e);
    }

    private static Estimate MeanOf(double[] values)
    {
        double mean = values.Average();
        double sum = 0;
        foreach (double v in values)
        {
            sum += (v - mean) * (v - mean);
        }

        return new Estimate(mean, Math.Sqrt(sum / (values.Length - 1) / values.Length));
    }
}
