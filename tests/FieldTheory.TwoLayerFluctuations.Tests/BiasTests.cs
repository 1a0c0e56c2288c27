using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Results;
using Xunit.Abstractions;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The O(1/N) mean shift (DESIGN.md 4.3) against ensembles at small widths with many members: two-layer tanh, P = 1,
/// x = y = 1, gamma0 = 1, eta = 0.05. N (E Delta_N - Delta_inf) = b + O(1/N), so the Richardson combination of N and
/// 2N estimates b with standard error sqrt(4 SE(2N)^2 + SE(N)^2) (each SE = N times the mean's standard error).
/// </summary>
public sealed class BiasTests(ITestOutputHelper output)
{
    private static readonly DataSpec Data = new ScalarData(1.0, 1.0);

    [FullFact]
    public void MeanShiftOfDeltaAgreesWithSmallEnsemblesFull()
    {
        const int Steps = 80;
        const int Width = 16;
        var spec = new TheorySpec(25600, IntegrationMethod.Auto, 1, false, true, true);
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), Data, 1.0, 0.05, Steps, false, false, 0, null, spec);
        FluctuationResult theory = Propagation.Solve(experiment, Problems.Tanh, DataFactory.Build(Data), new FluctuationOptions(Bias: true), null, default);
        EnsembleResult small = Ensembles.Train("TwoLayerTanh", Data, 1.0, 0.05, Steps, false, Width, 40000, seed: 41);
        EnsembleResult large = Ensembles.Train("TwoLayerTanh", Data, 1.0, 0.05, Steps, false, 2 * Width, 40000, seed: 42);
        output.WriteLine("n    theory b      N=16 N(E Delta - Delta_inf)   N=32            extrapolated");
        foreach (int n in new[] { 10, 20, 40, 60, 80 })
        {
            double inf = theory.Mean.Delta[n][0];
            double atN = Width * (small.Mean.Delta[n][0] - inf);
            double seN = Width * small.MeanStdErr.Delta[n][0];
            double at2N = 2 * Width * (large.Mean.Delta[n][0] - inf);
            double se2N = 2 * Width * large.MeanStdErr.Delta[n][0];
            output.WriteLine($"{n,3}  {theory.Nbias!.Delta[n][0]:F4}±{theory.NbiasError!.Delta[n][0]:F4}  {atN:F4}±{seN:F4}  {at2N:F4}±{se2N:F4}  {(2 * at2N) - atN:F4}");
            Agreement.AssertAgrees($"N E[delta Delta](n = {n})", theory.Nbias.Delta[n][0], theory.NbiasError.Delta[n][0], atN, seN, at2N, se2N);
        }

        output.WriteLine("n    theory N E[delta K]   N=16   N=32  |  theory N E[delta L]   N=16   N=32");
        foreach (int n in new[] { 10, 20, 40, 60, 80 })
        {
            (double kN, double kSeN) = (Width * (small.Mean.Ntk[n][0][0] - theory.Mean.Ntk[n][0][0]), Width * small.MeanStdErr.Ntk[n][0][0]);
            (double k2N, double kSe2N) = (2 * Width * (large.Mean.Ntk[n][0][0] - theory.Mean.Ntk[n][0][0]), 2 * Width * large.MeanStdErr.Ntk[n][0][0]);
            (double lN, double lSeN) = (Width * (small.Mean.Loss[n] - theory.Mean.Loss[n]), Width * small.MeanStdErr.Loss[n]);
            (double l2N, double lSe2N) = (2 * Width * (large.Mean.Loss[n] - theory.Mean.Loss[n]), 2 * Width * large.MeanStdErr.Loss[n]);
            output.WriteLine($"{n,3}  {theory.Nbias!.Ntk[n][0][0]:F4}  {kN:F4}±{kSeN:F4}  {k2N:F4}±{kSe2N:F4}  |  {theory.Nbias.Loss[n]:F5}  {lN:F5}±{lSeN:F5}  {l2N:F5}±{lSe2N:F5}");
            Agreement.AssertAgrees($"N E[delta K](n = {n})", theory.Nbias.Ntk[n][0][0], theory.NbiasError!.Ntk[n][0][0], kN, kSeN, k2N, kSe2N);
            Agreement.AssertAgrees($"N E[delta L](n = {n})", theory.Nbias.Loss[n], theory.NbiasError!.Loss[n], lN, lSeN, l2N, lSe2N);
        }
    }
}
