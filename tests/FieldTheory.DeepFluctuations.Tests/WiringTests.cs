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
}
