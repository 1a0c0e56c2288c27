namespace FieldTheory.Convolutions;

/// <summary>
/// Bias and variance over initialisations of the test loss and test error at one width and step (docs/cnn.md).
/// With member outputs f_mjc on test image j and output c (C = 1 for +-1 targets, the number of classes for one-hot
/// targets), the ensemble mean fbar_jc and the per-image squared error summed over outputs as the test loss:
/// <code>
///   Variance = (1/P_test) sum_j sum_c 1/(E-1) sum_m (f_mjc - fbar_jc)^2            (unbiased)
///   Bias     = (1/P_test) sum_j sum_c (y_jc - fbar_jc)^2 - Variance / E           (loss of the ensemble-mean predictor, finite-E corrected)
///   Bias + Variance = mean member test loss, exactly.
/// </code>
/// Standard errors by the delete-one jackknife over members. For the 0-1 test error, which has no additive
/// decomposition, the result gives the ensemble-mean predictor's error, the mean member error and the disagreement
/// rate (a member's predicted class differs from the ensemble-mean predictor's) as the variance part; the predicted
/// class is sign f for one output and argmax_c f_c for several.
/// </summary>
/// <param name="Width">N.</param>
/// <param name="Step">Training step n.</param>
/// <param name="Bias">Test loss of the ensemble-mean predictor.</param>
/// <param name="Variance">Mean over test images of the across-member variance of f, summed over outputs.</param>
/// <param name="MemberLoss">Mean member test loss (= Bias + Variance).</param>
/// <param name="EnsembleError">Test error of the ensemble-mean predictor fbar.</param>
/// <param name="MemberError">Mean member test error.</param>
/// <param name="Disagreement">Mean fraction of test images where a member's predicted class differs from fbar's.</param>
/// <param name="TrainLoss">Mean member training loss, (1/P) sum_mu sum_c (y_mu,c - f_mu,c)^2.</param>
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
        int e = result.Members, p = result.TestCount, outputs = result.Outputs, values = p * outputs;
        double[] y = result.TestTargets;
        var s1 = new double[values];
        var s2 = new double[values];
        for (int m = 0; m < e; m++)
        {
            ReadOnlySpan<double> f = result.TestOutput(m, record);
            for (int j = 0; j < values; j++)
            {
                s1[j] += f[j];
                s2[j] += f[j] * f[j];
            }
        }

        (double bias, double variance) = Statistic(s1, s2, y, e, p);
        var biasLeaveOut = new double[e];
        var varianceLeaveOut = new double[e];
        var d1 = new double[values];
        var d2 = new double[values];
        for (int m = 0; m < e; m++)
        {
            ReadOnlySpan<double> f = result.TestOutput(m, record);
            for (int j = 0; j < values; j++)
            {
                d1[j] = s1[j] - f[j];
                d2[j] = s2[j] - (f[j] * f[j]);
            }

            (biasLeaveOut[m], varianceLeaveOut[m]) = Statistic(d1, d2, y, e - 1, p);
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
                int predicted = Class(f.Slice(j * outputs, outputs));
                memberError[m] += predicted != Class(y.AsSpan(j * outputs, outputs)) ? 1.0 / p : 0.0;
                disagreement[m] += predicted != Class(s1.AsSpan(j * outputs, outputs)) ? 1.0 / p : 0.0;
            }

            for (int j = 0; j < values; j++)
            {
                memberLoss[m] += (y[j] - f[j]) * (y[j] - f[j]) / p;
            }

            ReadOnlySpan<double> train = result.TrainOutput(m, record);
            for (int mu = 0; mu < train.Length; mu++)
            {
                double r = result.TrainTargets[mu] - train[mu];
                trainLoss[m] += r * r / result.TrainCount;
            }
        }

        double ensembleError = 0;
        for (int j = 0; j < p; j++)
        {
            ensembleError += Class(s1.AsSpan(j * outputs, outputs)) != Class(y.AsSpan(j * outputs, outputs)) ? 1.0 / p : 0.0;
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

    /// <summary>The predicted class of one image's outputs: the sign for one output, the first argmax for several.</summary>
    private static int Class(ReadOnlySpan<double> f)
    {
        if (f.Length == 1)
        {
            return Math.Sign(f[0]);
        }

        int best = 0;
        for (int c = 1; c < f.Length; c++)
        {
            if (f[c] > f[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Bias and variance per test image (summed over outputs) from the member sums of f and f^2.</summary>
    private static (double Bias, double Variance) Statistic(double[] s1, double[] s2, double[] y, int e, int images)
    {
        double variance = 0, squaredError = 0;
        for (int j = 0; j < y.Length; j++)
        {
            double mean = s1[j] / e;
            variance += Math.Max(0.0, s2[j] - (s1[j] * mean)) / (e - 1);
            squaredError += (y[j] - mean) * (y[j] - mean);
        }

        variance /= images;
        return ((squaredError / images) - (variance / e), variance);
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
