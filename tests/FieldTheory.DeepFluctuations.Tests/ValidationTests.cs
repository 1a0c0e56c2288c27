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
        Assert.True(DeepNonlinearPropagator.PeakMemoryBytes(3, 1, 20) > DeepNonlinearFluctuations.MemoryLimitBytes);
        var error = Assert.Throws<ExperimentException>(() =>
            DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 20, 1000, 1), TestModels.DeepTanh, TestExperiments.Data));
        Assert.Equal("steps", error.Field);
        Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTrainingPointsAreAccepted() =>
        DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 6, 1000, 1), TestModels.DeepTanh, TwoPoints.Data);

    /// <summary>S = P (T + 1) = 3 x 8 = 24 positions are more than the 21 that one point at the step limit has.</summary>
    [Fact]
    public void TooManyPositionsAreRefusedNamingTheData()
    {
        Dataset three = DataFactory.Build(new InlineData(1, [1.0, -0.5, 0.3], [1.0, 0.5, -0.2], null, null));
        var error = Assert.Throws<ExperimentException>(() => Run(TestModels.Tanh, three, steps: 7));
        Assert.Equal("data", error.Field);
        Assert.Contains("S = 24", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at most {DeepNonlinearFluctuations.MaxPositions}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Test points are positions too: one training and one test point at T = 10 make S = 22 (one point alone would fit).</summary>
    [Fact]
    public void TestPositionsCountTowardsThePositionLimit()
    {
        Dataset withTest = DataFactory.Build(new InlineData(1, [1.0], [1.0], [0.5], null));
        DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.Tanh, 1.0, 0.1, 10, 1000, 1), TestModels.Tanh, TestExperiments.Data);
        var error = Assert.Throws<ExperimentException>(() => Run(TestModels.Tanh, withTest, steps: 10));
        Assert.Equal("data", error.Field);
        Assert.Contains("S = 22", error.Message, StringComparison.Ordinal);
        Assert.Contains("P_test = 1 test points", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Test points enter the memory budget through S: L = 3, one training and one test point at T = 9 (S = 20) need what P = 2 needs.</summary>
    [Fact]
    public void TestPositionsCountTowardsTheMemoryLimit()
    {
        Assert.Equal(DeepNonlinearPropagator.PeakMemoryBytes(3, 2, 9), DeepNonlinearPropagator.PeakMemoryBytes(3, 1, 9, testPoints: 1), 0.3 * DeepNonlinearPropagator.PeakMemoryBytes(3, 2, 9));
        Dataset withTest = DataFactory.Build(new InlineData(1, [1.0], [1.0], [0.5], null));
        var error = Assert.Throws<ExperimentException>(() =>
            DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 9, 1000, 1), TestModels.DeepTanh, withTest));
        Assert.Equal("data", error.Field);
        Assert.Contains("P = 1, P_test = 1, T = 9", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Three hidden layers, P = 2, T = 9: 20 positions, within the position limit, but above the memory limit that T = 9 meets at P = 1.</summary>
    [Fact]
    public void MemoryAboveTheLimitForSeveralPointsIsRefusedNamingTheData()
    {
        Assert.True(DeepNonlinearPropagator.PeakMemoryBytes(3, 2, 9) > DeepNonlinearFluctuations.MemoryLimitBytes);
        Assert.True(DeepNonlinearPropagator.PeakMemoryBytes(3, 1, 9) <= DeepNonlinearFluctuations.MemoryLimitBytes);
        Assert.True(DeepNonlinearPropagator.PeakMemoryBytes(3, 2, 9) > DeepNonlinearPropagator.PeakMemoryBytes(3, 1, 19), "P enters beyond S = P (T + 1) through the jets' scratch");
        var error = Assert.Throws<ExperimentException>(() =>
            DeepNonlinearFluctuations.Validate(TestExperiments.Theory(TestModels.DeepTanh, 1.0, 0.1, 9, 1000, 1), TestModels.DeepTanh, TwoPoints.Data));
        Assert.Equal("data", error.Field);
        Assert.Contains("P = 2, T = 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
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
