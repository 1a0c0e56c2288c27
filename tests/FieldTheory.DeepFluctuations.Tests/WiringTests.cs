using FieldTheory.Compilation;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Results;
using FieldTheory.Theory;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>The deep nonlinear propagator behind <c>"theory": { "fluctuations": true }</c> of models with two and three hidden layers.</summary>
public sealed class WiringTests
{
    [Fact]
    public void TheoryRunnerReportsTheDeepNonlinearPropagator()
    {
        Experiment experiment = TestExperiments.Theory(TestModels.Tanh, 1.0, 0.1, steps: 3, sites: 2000, seed: 5);
        TheoryResult result = TheoryRunner.Run(experiment, TestModels.Tanh, TestExperiments.Data, null, CancellationToken.None);
        Assert.Contains("deep nonlinear propagator", result.Method, StringComparison.Ordinal);
        Assert.NotNull(result.Nvar);
        Assert.NotNull(result.NvarIntegrationError);
        (Series direct, _) = DeepNonlinearFluctuations.Compute(experiment, TestModels.Tanh, TestExperiments.Data, null, default);
        for (int n = 0; n <= 3; n++)
        {
            // Same seeds, same numbers: the runner adds nothing of its own.
            Assert.Equal(direct.Delta[n][0], result.Nvar!.Delta[n][0]);
            Assert.True(result.NvarIntegrationError!.Delta[n][0] > 0.0, "the replicas' standard error is reported");
        }
    }

    [Fact]
    public void TheoryRunnerReportsTheDeepNonlinearPropagatorOfThreeHiddenLayers()
    {
        Experiment experiment = TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, steps: 2, sites: 2000, seed: 5);
        TheoryResult result = TheoryRunner.Run(experiment, TestModels.DeepTanh, TestExperiments.Data, null, CancellationToken.None);
        Assert.Contains("deep nonlinear propagator", result.Method, StringComparison.Ordinal);
        Assert.Equal(3, result.Nvar!.FeatureKernel!.Length);
        Assert.True(result.NvarIntegrationError!.Delta[2][0] > 0.0, "the replicas' standard error is reported");
    }

    [Fact]
    public void UnsupportedDataAreRefusedBeforeTheSaddleRuns()
    {
        Experiment experiment = TestExperiments.Theory(TestModels.Tanh, 1.0, 0.1, steps: DeepNonlinearFluctuations.MaxSteps + 5, sites: 2000, seed: 5);
        var error = Assert.Throws<ExperimentException>(() => TheoryRunner.Run(experiment, TestModels.Tanh, TestExperiments.Data, null, CancellationToken.None));
        Assert.Equal("steps", error.Field);
    }

    [Fact]
    public void TestPointsGetTheirPredictionVarianceFromThePropagator()
    {
        // One training point x = 1 (K^x = 1, as the scalar data) plus a test point x = 0.5: N Var f_test with its
        // standard error, nothing named as unavailable. The training entries are the same quantities as without the
        // test point, from other random numbers (the sources are drawn over all positions), so they agree within the SE.
        var withTest = new InlineData(1, [1.0], [1.0], [0.5], null);
        Experiment scalar = TestExperiments.Theory(TestModels.Tanh, 1.0, 0.1, steps: 2, sites: 2000, seed: 5);
        Experiment experiment = scalar with { Data = withTest };
        TheoryResult result = TheoryRunner.Run(experiment, TestModels.Tanh, DataFactory.Build(withTest), null, CancellationToken.None);
        TheoryResult reference = TheoryRunner.Run(scalar, TestModels.Tanh, TestExperiments.Data, null, CancellationToken.None);
        Assert.NotNull(result.Mean.TestF);
        Assert.Null(result.Unavailable);
        Assert.Null(reference.Unavailable);
        for (int n = 0; n <= 2; n++)
        {
            Assert.Single(result.Nvar!.TestF![n]);
            Assert.True(result.Nvar.TestF[n][0] > 0.0);
            Assert.True(result.NvarIntegrationError!.TestF![n][0] > 0.0, "the replicas' standard error is reported");
            AssertWithinError(reference, result, s => s.Delta[n][0]);
            AssertWithinError(reference, result, s => s.Ntk[n][0][0]);
        }
    }

    [Fact]
    public void TwoTrainingPointsAndATestPointGetThePropagator()
    {
        var withTest = TwoPoints.Inline with { TestX = [0.5, -0.5], TestY = [0.0] };
        Experiment plain = TestExperiments.Theory(TestModels.Tanh, 1.0, 0.1, steps: 2, sites: 2000, seed: 5) with { Data = TwoPoints.Inline };
        plain = plain with { Theory = plain.Theory! with { Bias = true } };
        Experiment experiment = plain with { Data = withTest };
        TheoryResult result = TheoryRunner.Run(experiment, TestModels.Tanh, DataFactory.Build(withTest), null, CancellationToken.None);
        TheoryResult reference = TheoryRunner.Run(plain, TestModels.Tanh, TwoPoints.Data, null, CancellationToken.None);
        Assert.Null(result.Nbias);
        Assert.StartsWith("nbias:", Assert.Single(result.Unavailable!), StringComparison.Ordinal);
        for (int n = 0; n <= 2; n++)
        {
            Assert.Equal(2, result.Nvar!.Delta[n].Length);
            Assert.Single(result.Nvar.TestF![n]);
            Assert.True(result.NvarIntegrationError!.TestF![n][0] > 0.0, "the replicas' standard error is reported");
            for (int mu = 0; mu < 2; mu++)
            {
                AssertWithinError(reference, result, s => s.Delta[n][mu]);
                AssertWithinError(reference, result, s => s.Ntk[n][mu][1 - mu]);
            }
        }
    }

    // Independent estimates of one quantity: within 4.5 combined standard errors (4 replicas each).
    private static void AssertWithinError(TheoryResult a, TheoryResult b, Func<Series, double> read)
    {
        double gap = Math.Abs(read(a.Nvar!) - read(b.Nvar!));
        double se = Math.Sqrt(Math.Pow(read(a.NvarIntegrationError!), 2) + Math.Pow(read(b.NvarIntegrationError!), 2));
        Assert.True(gap <= 4.5 * se, $"{read(a.Nvar!)} vs {read(b.Nvar!)}: gap {gap} above 4.5 SE ({se})");
    }

    [Fact]
    public void KinkedActivationsStillGiveTheMeanAndNameWhatComesFromEnsemblesOnly()
    {
        NetworkModel relu = ModelCompiler.CompileSource("""
            using FieldTheory;

            [Network(HiddenLayers = 2)]
            public static partial class Relu2
            {
                [Activation] static double Phi(double h) => h > 0 ? h : 0;
            }
            """).Single();
        Experiment kinked = TestExperiments.Theory(relu, 1.0, 0.1, steps: 2, sites: 2000, seed: 5);
        TheoryResult reluResult = TheoryRunner.Run(kinked, relu, TestExperiments.Data, null, CancellationToken.None);
        Assert.Null(reluResult.Nvar);
        Assert.Contains("smooth activation", Assert.Single(reluResult.Unavailable!), StringComparison.Ordinal);
        Assert.Contains("smooth activation", DeepNonlinearFluctuations.CoverageGap(relu, TwoPoints.Data), StringComparison.Ordinal);
        Assert.Null(DeepNonlinearFluctuations.CoverageGap(TestModels.Tanh, TwoPoints.Data));
    }
}
