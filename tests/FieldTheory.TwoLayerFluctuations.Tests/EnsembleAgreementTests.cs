using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Results;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The reduced two-layer propagator (DESIGN.md 4.2) against real ensembles (issue 5): two-layer tanh, P = 1,
/// x = y = 1, gamma0 = 1, eta = 0.05, uncentered and centered. N Var Delta(t) and N Var K(t), extrapolated from N and
/// 2N, agree with the theory within standard errors; and the kappa-only propagator (D set to zero) does not
/// (DESIGN.md 4.1: it guards against dropping D).
/// </summary>
public sealed class EnsembleAgreementTests
{
    private const double Gamma0 = 1.0;
    private const double Eta = 0.05;
    private static readonly DataSpec Data = new ScalarData(1.0, 1.0);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VarianceOfDeltaAndNtkFast(bool centered) =>
        CheckAgreement(centered, Fast, [5, 10, 20, 40]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KappaOnlyDisagreesFast(bool centered) =>
        CheckKappaOnlyFails(centered, Fast, [20, 40]);

    [FullTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void VarianceOfDeltaAndNtkFull(bool centered) =>
        CheckAgreement(centered, Full, [5, 10, 20, 40, 60, 80]);

    [FullTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void KappaOnlyDisagreesFull(bool centered) =>
        CheckKappaOnlyFails(centered, Full, [20, 40, 60, 80]);

    /// <summary>P = 5 gaussian inputs (D = 3, tanh teacher) with 3 test points: every output, test prediction, NTK diagonal entry and the loss.</summary>
    [FullFact]
    public void FiveGaussianPointsWithTestPredictionsFull()
    {
        var data = new GaussianData(3, 5, 3, TeacherKind.Tanh, 0.0, 7);
        const int Steps = 40;
        var experiment = new Experiment(
            new ModelReference("TwoLayerTanh", null), data, Gamma0, Eta, Steps, Centered: false, Online: false, Batch: 0, Ensemble: null,
            new TheorySpec(16384, IntegrationMethod.Auto, 1, Kernels: false, Fluctuations: true, Bias: false));
        FluctuationResult theory = Propagation.Solve(experiment, Problems.Tanh, DataFactory.Build(data), new FluctuationOptions(), null, default);
        EnsembleResult small = Ensembles.Train("TwoLayerTanh", data, Gamma0, Eta, Steps, false, 128, 3000, seed: 51);
        EnsembleResult large = Ensembles.Train("TwoLayerTanh", data, Gamma0, Eta, Steps, false, 256, 3000, seed: 52);
        foreach (int n in new[] { 10, 20, 40 })
        {
            for (int mu = 0; mu < 5; mu++)
            {
                Agreement.AssertAgrees($"P = 5: N Var Delta_{mu}(n = {n})", theory.Nvar.Delta[n][mu], theory.NvarError.Delta[n][mu], small.Nvar.Delta[n][mu], small.NvarStdErr.Delta[n][mu], large.Nvar.Delta[n][mu], large.NvarStdErr.Delta[n][mu]);
                Agreement.AssertAgrees($"P = 5: N Var K_{mu}{mu}(n = {n})", theory.Nvar.Ntk[n][mu][mu], theory.NvarError.Ntk[n][mu][mu], small.Nvar.Ntk[n][mu][mu], small.NvarStdErr.Ntk[n][mu][mu], large.Nvar.Ntk[n][mu][mu], large.NvarStdErr.Ntk[n][mu][mu]);
            }

            Agreement.AssertAgrees($"P = 5: N Var K_01(n = {n})", theory.Nvar.Ntk[n][0][1], theory.NvarError.Ntk[n][0][1], small.Nvar.Ntk[n][0][1], small.NvarStdErr.Ntk[n][0][1], large.Nvar.Ntk[n][0][1], large.NvarStdErr.Ntk[n][0][1]);
            for (int j = 0; j < 3; j++)
            {
                Agreement.AssertAgrees($"P = 5: N Var f_test{j}(n = {n})", theory.Nvar.TestF![n][j], theory.NvarError.TestF![n][j], small.Nvar.TestF![n][j], small.NvarStdErr.TestF![n][j], large.Nvar.TestF![n][j], large.NvarStdErr.TestF![n][j]);
            }

            Agreement.AssertAgrees($"P = 5: N Var L(n = {n})", theory.Nvar.Loss[n], theory.NvarError.Loss[n], small.Nvar.Loss[n], small.NvarStdErr.Loss[n], large.Nvar.Loss[n], large.NvarStdErr.Loss[n]);
        }
    }

    private static readonly Setting Fast = new(Steps: 40, Width: 64, Members: 600, Sites: 16384);
    private static readonly Setting Full = new(Steps: 80, Width: 128, Members: 4000, Sites: 25600);

    private static void CheckAgreement(bool centered, Setting setting, int[] steps)
    {
        FluctuationResult theory = Theory(centered, setting, dropFeedback: false);
        (EnsembleResult small, EnsembleResult large) = Train(centered, setting);
        foreach (int n in steps)
        {
            Agreement.AssertAgrees(
                $"N Var Delta(n = {n}), centered = {centered}",
                theory.Nvar.Delta[n][0], theory.NvarError.Delta[n][0],
                small.Nvar.Delta[n][0], small.NvarStdErr.Delta[n][0],
                large.Nvar.Delta[n][0], large.NvarStdErr.Delta[n][0]);
            Agreement.AssertAgrees(
                $"N Var K(n = {n}), centered = {centered}",
                theory.Nvar.Ntk[n][0][0], theory.NvarError.Ntk[n][0][0],
                small.Nvar.Ntk[n][0][0], small.NvarStdErr.Ntk[n][0][0],
                large.Nvar.Ntk[n][0][0], large.NvarStdErr.Ntk[n][0][0]);
            Agreement.AssertAgrees(
                $"N Var Phi(n = {n}), centered = {centered}",
                theory.Nvar.FeatureKernel![0][n][0][0], theory.NvarError.FeatureKernel![0][n][0][0],
                small.Nvar.FeatureKernel![0][n][0][0], small.NvarStdErr.FeatureKernel![0][n][0][0],
                large.Nvar.FeatureKernel![0][n][0][0], large.NvarStdErr.FeatureKernel![0][n][0][0]);
        }
    }

    private static void CheckKappaOnlyFails(bool centered, Setting setting, int[] steps)
    {
        FluctuationResult kappaOnly = Theory(centered, setting, dropFeedback: true);
        (EnsembleResult small, EnsembleResult large) = Train(centered, setting);
        foreach (int n in steps)
        {
            double deviation = Agreement.Deviation(
                kappaOnly.Nvar.Delta[n][0], kappaOnly.NvarError.Delta[n][0],
                small.Nvar.Delta[n][0], small.NvarStdErr.Delta[n][0],
                large.Nvar.Delta[n][0], large.NvarStdErr.Delta[n][0]);
            Assert.True(
                Math.Abs(deviation) > 2 * Agreement.Sigmas,
                $"kappa-only N Var Delta(n = {n}) = {kappaOnly.Nvar.Delta[n][0]:G4} is only {deviation:F1} standard errors from the ensembles ({large.Nvar.Delta[n][0]:G4} at 2N): the test cannot tell whether D is included");
        }
    }

    private static FluctuationResult Theory(bool centered, Setting setting, bool dropFeedback)
    {
        var experiment = new Experiment(
            new ModelReference("TwoLayerTanh", null), Data, Gamma0, Eta, setting.Steps, centered, Online: false, Batch: 0, Ensemble: null,
            new TheorySpec(setting.Sites, IntegrationMethod.Auto, 1, Kernels: false, Fluctuations: true, Bias: false));
        return Propagation.Solve(experiment, Problems.Tanh, DataFactory.Build(Data), new FluctuationOptions(DropFeedback: dropFeedback), null, default);
    }

    private static (EnsembleResult Small, EnsembleResult Large) Train(bool centered, Setting setting) => (
        Ensembles.Train("TwoLayerTanh", Data, Gamma0, Eta, setting.Steps, centered, setting.Width, setting.Members, seed: 21),
        Ensembles.Train("TwoLayerTanh", Data, Gamma0, Eta, setting.Steps, centered, 2 * setting.Width, setting.Members, seed: 22));

    private sealed record Setting(int Steps, int Width, int Members, int Sites);
}
