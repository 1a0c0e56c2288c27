using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.Validation.Tests;

/// <summary>
/// N Var of a deep linear network's test predictions (the propagator of the training points plus linearity in the
/// input, DESIGN.md 4.5) against ensembles of real deep linear networks at N and 2N, extrapolated in 1/N: one test input
/// with a component orthogonal to the training inputs (whose fluctuation rides on G^1) and one inside their span.
/// </summary>
public sealed class DeepLinearTestPredictionTests
{
    [Fact]
    public void TestPredictionVariancesAgreeWithEnsembles() => Check(width: 64, members: 1500, steps: 8, centered: false);

    [FullTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void TestPredictionVariancesAgreeWithLargeEnsembles(bool centered) => Check(width: 128, members: 3000, steps: 12, centered);

    private static void Check(int width, int members, int steps, bool centered)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get("DeepLinear");
        var data = new InlineData(3, [1, 0, 0, 0.6, 0.8, 0], [1, -0.5], [0.5, -0.3, 0.8, 0.2, 0.4, 0], null);
        TheoryResult theory = Run(model, data, width, members, steps, centered, null, new TheorySpec(1, IntegrationMethod.Auto, 1, false, true, false)).Theory!;
        Assert.Null(theory.Unavailable);
        EnsembleResult a = Run(model, data, width, members, steps, centered, new EnsembleSpec(width, members, 41, "cpu"), null).Ensemble!;
        EnsembleResult b = Run(model, data, width, members, steps, centered, new EnsembleSpec(2 * width, members, 42, "cpu"), null).Ensemble!;
        foreach (int n in new[] { steps / 4, steps / 2, steps })
        {
            for (int j = 0; j < 2; j++)
            {
                Agreement.AssertExtrapolatesToTheory(
                    $"DeepLinear L = 3, {(centered ? "centered" : "uncentered")}: N Var f_test{j}(n = {n})",
                    theory.Nvar!.TestF![n][j], 0.0, a.Nvar.TestF![n][j], a.NvarStdErr.TestF![n][j], b.Nvar.TestF![n][j], b.NvarStdErr.TestF![n][j], width);
            }
        }
    }

    private static ExperimentResult Run(NetworkModel model, DataSpec data, int width, int members, int steps, bool centered, EnsembleSpec? ensemble, TheorySpec? theory) =>
        ExperimentRunner.Run(
            new Experiment(new ModelReference(model.Name, null), data, 1.0, 0.2, steps, centered, Online: false, Batch: 0, ensemble, theory),
            model,
            progress: null,
            CancellationToken.None);
}
