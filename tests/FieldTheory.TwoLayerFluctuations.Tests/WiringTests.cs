using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>The public entry point and its wiring into the theory runner: shapes, the comparison block, refusals.</summary>
public sealed class WiringTests
{
    [Fact]
    public void ExperimentRunnerReportsNvarNbiasAndTheComparison()
    {
        Experiment experiment = ExperimentParser.Parse("""
            { "model": "TwoLayerTanh", "data": { "kind": "inline", "x": [[1, 0.5], [-0.3, 1]], "y": [1, -1], "testX": [[0.2, 0.9]], "testY": [0.5] },
              "gamma0": 1, "eta": 0.1, "steps": 6, "ensemble": { "width": 16, "members": 40 },
              "theory": { "sites": 4096, "fluctuations": true, "bias": true } }
            """);
        ExperimentResult result = ExperimentRunner.Run(experiment, BuiltInModels.Catalogue.Get("TwoLayerTanh"), null, CancellationToken.None);
        TheoryResult theory = result.Theory!;
        Assert.NotNull(theory.Nvar);
        Assert.NotNull(theory.Nbias);
        Assert.Equal(7, theory.Nvar!.Delta.Length);
        Assert.Equal(2, theory.Nvar.Ntk[3].Length);
        Assert.Single(theory.Nvar.TestF![0]);
        Assert.Single(theory.Nvar.FeatureKernel!);
        Assert.NotNull(result.Comparison!.NvarDifferenceInStdErr);
        Assert.All(theory.Nvar.Loss, v => Assert.True(v >= 0.0));
        Assert.All(theory.Nbias!.F.Zip(theory.Nbias.Delta), p => Assert.Equal(p.First[0], -p.Second[0], 15));
    }

    [Fact]
    public void CovarianceOfDeltaHasTheVariancesOnItsDiagonal()
    {
        var data = new ScalarData(1, 1);
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), data, 1.0, 0.1, 8, false, false, 0, null, new TheorySpec(1024, IntegrationMethod.Auto, 1, false, true, false));
        Dataset built = DataFactory.Build(data);
        double[][] cov = Propagation.CovarianceOfDelta(experiment, Problems.Tanh, built, null, CancellationToken.None);
        (Series nvar, _, _, _, _) = Propagation.Compute(experiment, Problems.Tanh, built, null, CancellationToken.None);
        Assert.Equal(9, cov.Length);
        for (int n = 0; n <= 8; n++)
        {
            Assert.Equal(nvar.Delta[n][0], cov[n][n], 12);
            for (int m = 0; m <= 8; m++)
            {
                Assert.Equal(cov[n][m], cov[m][n], 12);
            }
        }
    }

    [Fact]
    public void BiasOfAPiecewiseNonlinearityIsRefused()
    {
        var e = Assert.Throws<ExperimentException>(() => Compute("TwoLayerRelu", new ScalarData(1, 1), steps: 5, bias: true));
        Assert.Equal("theory.bias", e.Field);
    }

    [Fact]
    public void PiecewiseModelsRefuseProductGrids()
    {
        var data = new ScalarData(1, 1);
        var experiment = new Experiment(new ModelReference("TwoLayerRelu", null), data, 1.0, 0.1, 4, false, false, 0, null, new TheorySpec(1024, IntegrationMethod.Quadrature, 1, false, true, false));
        var e = Assert.Throws<ExperimentException>(() => Propagation.Compute(experiment, BuiltInModels.Catalogue.Get("TwoLayerRelu"), DataFactory.Build(data), null, CancellationToken.None));
        Assert.Equal("theory.integration", e.Field);
    }

    [Fact]
    public void ProblemsTooLargeForMemoryAreRefused()
    {
        var e = Assert.Throws<ExperimentException>(() => Compute("TwoLayerTanh", new GaussianData(4, 30, 0, TeacherKind.Linear, 0.0, 1), steps: 3000, bias: false));
        Assert.Equal("theory.fluctuations", e.Field);
        Assert.Contains("GiB", e.Message);
    }

    [Fact]
    public void DeepNetworksAreRefused()
    {
        var e = Assert.Throws<ExperimentException>(() => Compute("DeepTanh", new ScalarData(1, 1), steps: 5, bias: false));
        Assert.Equal("model", e.Field);
    }

    private static (Series, Series?) Compute(string model, DataSpec data, int steps, bool bias)
    {
        var experiment = new Experiment(new ModelReference(model, null), data, 1.0, 0.1, steps, false, false, 0, null, new TheorySpec(1024, IntegrationMethod.Qmc, 1, false, true, bias));
        (Series nvar, _, Series? nbias, _, _) = Propagation.Compute(experiment, BuiltInModels.Catalogue.Get(model), DataFactory.Build(data), null, CancellationToken.None);
        return (nvar, nbias);
    }
}
