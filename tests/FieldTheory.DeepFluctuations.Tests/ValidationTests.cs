using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepNonlinear;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>Settings the deep nonlinear propagator does not cover are refused with the experiment field named.</summary>
public sealed class ValidationTests
{
    [Fact]
    public void OneHiddenLayerIsRefused()
    {
        var error = Assert.Throws<ExperimentException>(() => Run(TestModels.ShallowTanh, TestExperiments.Data, steps: 4));
        Assert.Equal("model", error.Field);
    }

    [Fact]
    public void ThreeHiddenLayersAreAccepted() =>
        DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 12, 1000, 1), TestModels.DeepTanh, TestExperiments.Data);

    [Fact]
    public void ProblemsAboveTheMemoryLimitAreRefused()
    {
        Assert.True(DeepNonlinearPropagator.PeakMemoryBytes(3, 20) > DeepNonlinearFluctuations.MemoryLimitBytes);
        var error = Assert.Throws<ExperimentException>(() =>
            DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 20, 1000, 1), TestModels.DeepTanh, TestExperiments.Data));
        Assert.Equal("steps", error.Field);
        Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTrainingPointsAreRefused()
    {
        Dataset two = DataFactory.Build(new InlineData(1, [1.0, -0.5], [1.0, 0.5], null, null));
        var error = Assert.Throws<ExperimentException>(() => Run(TestModels.Tanh, two, steps: 4));
        Assert.Equal("data", error.Field);
    }

    [Fact]
    public void TooManyStepsAreRefused()
    {
        var error = Assert.Throws<ExperimentException>(() => Run(TestModels.Tanh, TestExperiments.Data, steps: DeepNonlinearFluctuations.MaxSteps + 1));
        Assert.Equal("steps", error.Field);
    }

    private static void Run(NetworkModel model, Dataset data, int steps) =>
        DeepNonlinearFluctuations.Compute(TestExperiments.Theory(model, 1.0, 0.1, steps, 1000, 1), model, data, null, default);
}
