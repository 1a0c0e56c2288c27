namespace FieldTheory.Convolutions;

/// <summary>
/// Bias and variance of the test loss over initialisations as a function of width at fixed gamma0, and their a + b/N
/// extrapolations to infinite width at the last step (docs/cnn.md). Test loss: per-image squared error summed over
/// outputs, sum_c (y_c - f_c)^2, on +-1 or one-hot targets (<see cref="CnnBiasVarianceSettings.Targets"/>); outputs uncentered.
/// </summary>
/// <param name="Model">The architecture as declared.</param>
/// <param name="Data">What the images are.</param>
/// <param name="Settings">The sweep.</param>
/// <param name="Points">Per width (outer, in <see cref="CnnBiasVarianceSettings.Widths"/> order) and recorded step (inner).</param>
/// <param name="BiasFit">Bias at the last step fitted as a + b/N.</param>
/// <param name="VarianceFit">Variance at the last step fitted as a + b/N (a should be near 0).</param>
/// <param name="MemberLossFit">Mean member test loss at the last step fitted as a + b/N.</param>
/// <param name="Seconds">Training time per width.</param>
/// <param name="Backend">How the products ran (OpenBLAS or plain loops) and the thread count.</param>
/// <param name="ProbeNtk">Per width and recorded step, the probe NTK's ensemble mean and N Var (null without a probe).</param>
public sealed record CnnBiasVarianceResult(
    string Model,
    string Data,
    CnnBiasVarianceSettings Settings,
    BiasVarianceDecomposition[][] Points,
    InverseWidthFit BiasFit,
    InverseWidthFit VarianceFit,
    InverseWidthFit MemberLossFit,
    double[] Seconds,
    string Backend,
    ProbeNtkStatistics[][]? ProbeNtk = null)
{
    /// <summary>The decomposition at the last step for every width.</summary>
    public BiasVarianceDecomposition[] Final => Points.Select(p => p[^1]).ToArray();
}
