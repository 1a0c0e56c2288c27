using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Theory.Integration;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The matrix-free adjoint path (<see cref="AdjointVariance"/>) against the dense propagator on the same sites: the same
/// N Var of every output, test output and the loss at the chosen steps (only rounding differs), NaN elsewhere.
/// </summary>
public sealed class AdjointVarianceTests
{
    private static readonly InlineData Data = new(3, [1.0, 0.5, -0.3, -0.2, 1.1, 0.7], [0.8, -0.5], [0.4, -0.9, 1.2], [0.3]);

    [Theory]
    [InlineData(false, 1.0)]
    [InlineData(true, 1.0)]
    [InlineData(false, 2.0)]
    public void AdjointEqualsTheDensePropagatorAtTheChosenSteps(bool centered, double gamma0)
    {
        const int Steps = 12;
        int[] chosen = [0, 5, 12];
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), Data, gamma0, 0.2, Steps, centered, false, 0, null, new TheorySpec(2048, IntegrationMethod.Qmc, 3, false, true, false));
        Dataset built = DataFactory.Build(Data);
        FluctuationResult dense = Propagation.Solve(experiment, Problems.Tanh, built, new FluctuationOptions(), null, default);
        FluctuationResult adjoint = Propagation.Solve(experiment, Problems.Tanh, built, new FluctuationOptions(AdjointSteps: chosen), null, default);
        for (int n = 0; n <= Steps; n++)
        {
            bool isChosen = chosen.Contains(n);
            for (int a = 0; a < 2; a++)
            {
                Check(dense.Nvar.F[n][a], adjoint.Nvar.F[n][a], isChosen, $"N Var f_{a}({n})");
                Check(dense.Nvar.Delta[n][a], adjoint.Nvar.Delta[n][a], isChosen, $"N Var Delta_{a}({n})");
                Check(dense.NvarError.F[n][a], adjoint.NvarError.F[n][a], isChosen, $"error of N Var f_{a}({n})");
            }

            Check(dense.Nvar.TestF![n][0], adjoint.Nvar.TestF![n][0], isChosen, $"N Var test f({n})");
            Check(dense.Nvar.Loss[n], adjoint.Nvar.Loss[n], isChosen, $"N Var L({n})");
            Assert.True(double.IsNaN(adjoint.Nvar.Ntk[n][0][1]), "the adjoint path does not track the kernels");
        }
    }

    [Fact]
    public void DefaultStepsAreElevenEvenlySpacedOnes()
    {
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), Data, 1.0, 0.2, 40, false, false, 0, null,
            new TheorySpec(1024, IntegrationMethod.Qmc, 3, false, true, false, FluctuationMethod: FluctuationMethod.Adjoint));
        Assert.Equal([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40], Propagation.Options(experiment).AdjointSteps!);
    }

    [Theory]
    [InlineData("theory.adjointSteps[1]", """ "fluctuationMethod": "adjoint", "adjointSteps": [2, 9] """)]
    [InlineData("theory.adjointSteps", """ "fluctuationMethod": "adjoint", "adjointSteps": [] """)]
    [InlineData("theory.adjointSteps", """ "adjointSteps": [2] """)]
    [InlineData("theory.fluctuationMethod", """ "fluctuationMethod": "krylov" """)]
    public void BadAdjointSettingsNameTheField(string field, string settings)
    {
        string json = $$"""{ "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 8, "theory": { "fluctuations": true, {{settings}} } }""";
        var error = Assert.Throws<ExperimentException>(() => ExperimentParser.Parse(json));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void TheMeanShiftNeedsTheDensePath()
    {
        var experiment = ExperimentParser.Parse("""{ "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 8, "theory": { "sites": 1024, "fluctuations": true, "bias": true, "fluctuationMethod": "adjoint" } }""");
        var error = Assert.Throws<ExperimentException>(() => Propagation.Compute(experiment, Problems.Tanh, DataFactory.Build(experiment.Data), null, default));
        Assert.Equal("theory.bias", error.Field);
    }

    // Dense and adjoint evaluate the same site sums in different orders: equal to rounding, relative to the value.
    private static void Check(double dense, double adjoint, bool chosen, string what)
    {
        if (!chosen)
        {
            Assert.True(double.IsNaN(adjoint), $"{what} was not chosen and must be NaN, got {adjoint:R}");
            return;
        }

        Assert.True(Math.Abs(dense - adjoint) <= 1e-9 * Math.Abs(dense) + 1e-14, $"{what}: dense {dense:R}, adjoint {adjoint:R}");
    }
}
