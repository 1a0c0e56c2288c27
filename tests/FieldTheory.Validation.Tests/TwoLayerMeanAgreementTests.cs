using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.Validation.Tests;

/// <summary>
/// The two-layer infinite-width theory (DESIGN.md 3.1) against ensembles of real networks (issue 4): the mean error
/// Delta(t) and the NTK K(t), extrapolated from N and 2N, equal the theory within standard errors.
/// </summary>
public sealed class TwoLayerMeanAgreementTests
{
    private const int Steps = 80;
    private const double Eta = 0.05;

    [Theory]
    [InlineData("TwoLayerTanh", 1.0)]
    [InlineData("TwoLayerRelu", 1.0)]
    public void ScalarDataFast(string model, double gamma0) => Check(model, gamma0, new ScalarData(1.0, 1.0), width: 256, members: 1500);

    [FullTheory]
    [InlineData("TwoLayerTanh", 0.5)]
    [InlineData("TwoLayerTanh", 1.0)]
    [InlineData("TwoLayerTanh", 2.0)]
    [InlineData("TwoLayerRelu", 0.5)]
    [InlineData("TwoLayerRelu", 1.0)]
    [InlineData("TwoLayerRelu", 2.0)]
    public void ScalarDataFull(string model, double gamma0) => Check(model, gamma0, new ScalarData(1.0, 1.0), width: 512, members: 4000);

    [FullTheory]
    [InlineData("TwoLayerTanh", 0.5)]
    [InlineData("TwoLayerTanh", 1.0)]
    [InlineData("TwoLayerTanh", 2.0)]
    [InlineData("TwoLayerRelu", 0.5)]
    [InlineData("TwoLayerRelu", 1.0)]
    [InlineData("TwoLayerRelu", 2.0)]
    public void FivePointsFull(string model, double gamma0) =>
        Check(model, gamma0, new GaussianData(3, 5, 0, TeacherKind.Tanh, 0.0, 7), width: 512, members: 4000);

    private static void Check(string modelName, double gamma0, DataSpec data, int width, int members)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(modelName);
        // P = 1 integrates on a 128^2 product grid; P = 5 (four Gaussian dimensions) on scrambled QMC, whose spread over
        // 8 scramblings underestimated its error at 16384 sites for ReLU (gamma0 = 0.5, K off by 5 of its estimated
        // errors, while 65536 sites agree): the larger rule keeps the theory's error well below the ensembles'.
        int sites = data is ScalarData ? 16384 : 65536;
        ExperimentResult theory = Run(model, gamma0, data, ensemble: null, new TheorySpec(sites, IntegrationMethod.Auto, 1, false, false, false));
        ExperimentResult small = Run(model, gamma0, data, new EnsembleSpec(width, members, 11, "cpu"), null);
        ExperimentResult large = Run(model, gamma0, data, new EnsembleSpec(2 * width, members, 12, "cpu"), null);

        Series t = theory.Theory!.Mean;
        Series? tErr = theory.Theory.IntegrationError;
        EnsembleResult a = small.Ensemble!;
        EnsembleResult b = large.Ensemble!;
        int points = t.Delta[0].Length;
        foreach (int n in new[] { Steps / 8, Steps / 4, Steps / 2, Steps })
        {
            for (int mu = 0; mu < points; mu++)
            {
                Agreement.AssertExtrapolatesToTheory(
                    $"{modelName} gamma0 = {gamma0}: Delta_{mu}(n = {n})",
                    t.Delta[n][mu], tErr?.Delta[n][mu] ?? 0.0,
                    a.Mean.Delta[n][mu], a.MeanStdErr.Delta[n][mu],
                    b.Mean.Delta[n][mu], b.MeanStdErr.Delta[n][mu],
                    width);
                Agreement.AssertExtrapolatesToTheory(
                    $"{modelName} gamma0 = {gamma0}: K_{mu}{mu}(n = {n})",
                    t.Ntk[n][mu][mu], tErr?.Ntk[n][mu][mu] ?? 0.0,
                    a.Mean.Ntk[n][mu][mu], a.MeanStdErr.Ntk[n][mu][mu],
                    b.Mean.Ntk[n][mu][mu], b.MeanStdErr.Ntk[n][mu][mu],
                    width);
            }
        }
    }

    private static ExperimentResult Run(NetworkModel model, double gamma0, DataSpec data, EnsembleSpec? ensemble, TheorySpec? theory)
    {
        var experiment = new Experiment(new ModelReference(model.Name, null), data, gamma0, Eta, Steps, Centered: false, Online: false, Batch: 0, ensemble, theory);
        return ExperimentRunner.Run(experiment, model, progress: null, CancellationToken.None);
    }
}
