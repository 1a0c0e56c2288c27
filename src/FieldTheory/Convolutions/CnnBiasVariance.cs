using FieldTheory.Compute;
using FieldTheory.Ensembles;

namespace FieldTheory.Convolutions;

/// <summary>
/// The finite-width bias and variance experiment for CNNs (issue 7, docs/cnn.md): trains an ensemble at every width,
/// decomposes the test loss into bias (loss of the ensemble-mean predictor) and variance (spread of the members around
/// it), and extrapolates both to infinite width with a + b/N fits weighted by their standard errors.
/// </summary>
public static class CnnBiasVariance
{
    /// <summary>
    /// Runs the sweep on the CPU engine, or on <paramref name="device"/> (an ILGPU accelerator, e.g. CUDA) when given;
    /// <paramref name="progress"/> receives the fraction of widths done.
    /// </summary>
    public static CnnBiasVarianceResult Run(ConvolutionalModel model, CnnImages images, CnnBiasVarianceSettings settings, IProgress<double>? progress = null, CancellationToken cancellationToken = default, ComputeDevice? device = null)
    {
        if (settings.Widths.Length < 2 || settings.Widths.Distinct().Count() != settings.Widths.Length)
        {
            throw new ArgumentException("The sweep needs at least two distinct widths.", nameof(settings));
        }

        var points = new BiasVarianceDecomposition[settings.Widths.Length][];
        var seconds = new double[settings.Widths.Length];
        ProbeNtkStatistics[][]? ntk = settings.NtkProbe > 0 ? new ProbeNtkStatistics[settings.Widths.Length][] : null;
        for (int i = 0; i < settings.Widths.Length; i++)
        {
            CnnTrainingSettings atWidth = settings.AtWidth(settings.Widths[i]);
            CnnEnsembleResult ensemble = device is null
                ? CnnEnsemble.Train(model, images, atWidth, cancellationToken)
                : CnnEnsemble.Train(model, images, atWidth, device, cancellationToken);
            points[i] = Enumerable.Range(0, ensemble.RecordedSteps.Length).Select(r => BiasVarianceDecomposition.Of(ensemble, r)).ToArray();
            seconds[i] = ensemble.Seconds;
            if (ntk is not null)
            {
                ntk[i] = Enumerable.Range(0, ensemble.RecordedSteps.Length).Select(r => ProbeNtkStatistics.Of(ensemble, r)).ToArray();
            }

            progress?.Report((i + 1.0) / settings.Widths.Length);
        }

        BiasVarianceDecomposition[] final = points.Select(p => p[^1]).ToArray();
        int[] widths = final.Select(p => p.Width).ToArray();
        return new CnnBiasVarianceResult(
            model.Architecture.ToString(),
            images.Data.Description,
            settings,
            points,
            InverseWidthFit.Fit(widths, final.Select(p => p.Bias).ToArray()),
            InverseWidthFit.Fit(widths, final.Select(p => p.Variance).ToArray()),
            InverseWidthFit.Fit(widths, final.Select(p => p.MemberLoss).ToArray()),
            seconds,
            device is null
                ? (OpenBlas.IsAvailable ? "cpu, im2col + OpenBLAS dgemm" : "cpu, im2col + plain loops") + $", {Environment.ProcessorCount} threads"
                : "ilgpu, " + device.Describe(),
            ntk);
    }
}
