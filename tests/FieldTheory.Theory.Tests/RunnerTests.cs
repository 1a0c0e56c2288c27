using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;

namespace FieldTheory.Theory.Tests;

public sealed class RunnerTests
{
    private static TheoryResult Run(string model, string body)
    {
        Experiment experiment = ExperimentParser.Parse($$"""{ "model": "{{model}}", {{body}} }""");
        return TheoryRunner.Run(experiment, TheoryFixture.Model(model), DataFactory.Build(experiment.Data), null, CancellationToken.None);
    }

    private static void AssertRejected(string field, string model, string body)
    {
        var e = Assert.Throws<ExperimentException>(() => Run(model, body));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void TwoLayerRunProducesEverySeries()
    {
        TheoryResult result = Run("TwoLayerRelu", """
            "data": { "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] },
            "gamma0": 1, "eta": 0.1, "steps": 10, "theory": { "sites": 4096, "kernels": true }
            """);
        Assert.StartsWith("two-layer forward integration", result.Method);
        Assert.Contains("scrambled Halton quasi-Monte Carlo", result.Method);
        Assert.Equal(11, result.Mean.F.Length);
        Assert.Equal(2, result.Mean.Delta[10].Length);
        Assert.Equal(2, result.Mean.Ntk[10].Length);
        Assert.Single(result.Mean.TestF![10]);
        Assert.Equal(0.5 * result.Mean.Delta[10].Sum(d => d * d), result.Mean.Loss[10], 1e-15);
        Assert.NotNull(result.IntegrationError);
        Assert.Equal(11, result.Kernels!.Phi[0].Length);
    }

    [Fact]
    public void AutoPicksQuasiMonteCarlo()
    {
        TheoryResult result = Run("TwoLayerTanh", """
            "data": { "kind": "gaussian", "dim": 8, "train": 4, "test": 2 },
            "gamma0": 1, "eta": 0.1, "steps": 5, "theory": { "sites": 1024 }
            """);
        Assert.Contains("Halton", result.Method);
    }

    [Fact]
    public void DeepNetworksAtTinyGamma0UseTheLazyLimit()
    {
        TheoryResult result = Run("DeepTanh", """
            "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1e-4, "eta": 0.1, "steps": 5, "theory": { }
            """);
        Assert.StartsWith("lazy limit", result.Method);
        Assert.Equal(3, result.Mean.FeatureKernel!.Length);
        Assert.Null(result.Unavailable);
    }

    [Fact]
    public void TwoLayerResultsSayHowTheirFluctuationsWereComputed()
    {
        TheoryResult result = Run("TwoLayerTanh", """
            "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 6, "theory": { "sites": 1024, "fluctuations": true }
            """);
        Assert.Contains("; N Var by the reduced two-layer propagator (DESIGN.md 4.2), D by pathwise forward-mode tangents in factored form", result.Method, StringComparison.Ordinal);
        Assert.Equal(1, result.Method.Split("8 independent scramblings").Length - 1);
    }

    [Fact]
    public void FluctuationsTheTheoryDoesNotCoverAreNamedAsEnsembleOnly()
    {
        TheoryResult lazy = Run("DeepTanh", """
            "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1e-4, "eta": 0.1, "steps": 5, "theory": { "fluctuations": true, "bias": true }
            """);
        Assert.Null(lazy.Nvar);
        Assert.Collection(
            lazy.Unavailable!,
            nvar => Assert.StartsWith("nvar: the universal lazy form", nvar),
            nbias => Assert.StartsWith("nbias:", nbias));

        // Deep linear with a test point: N Var of the training quantities from the propagator on the training block of
        // K^x (the same numbers as without the test point), the test predictions' by linearity in the input.
        const string Common = """ "gamma0": 1, "eta": 0.1, "steps": 6, "theory": { "fluctuations": true } """;
        TheoryResult withTest = Run("DeepLinear", """ "data": { "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] }, """ + Common);
        TheoryResult trainOnly = Run("DeepLinear", """ "data": { "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5] }, """ + Common);
        Assert.Null(withTest.Unavailable);
        Assert.Equal(7, withTest.Nvar!.TestF!.Length);
        Assert.Null(trainOnly.Unavailable);
        for (int n = 0; n <= 6; n++)
        {
            Assert.Equal(trainOnly.Nvar!.Delta[n], withTest.Nvar.Delta[n]);
            Assert.Equal(trainOnly.Nvar.Ntk[n][0], withTest.Nvar.Ntk[n][0]);
        }
    }

    [Theory]
    [InlineData("theory.sites", "DeepTanh", """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 5, "theory": { "sites": 1 } """)]
    [InlineData("theory.sites", "TwoLayerTanh", """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 5, "theory": { "sites": 10, "integration": "mc" } """)]
    [InlineData("theory.sites", "TwoLayerTanh", """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 5, "theory": { "sites": 3, "integration": "quadrature" } """)]
    [InlineData("theory.sites", "TwoLayerTanh", """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 5, "theory": { "sites": 4000000, "integration": "quadrature" } """)]
    [InlineData("theory.kernels", "TwoLayerTanh", """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 100000, "theory": { "sites": 100000, "integration": "qmc", "kernels": true } """)]
    public void BadSettingsNameTheField(string field, string model, string body) => AssertRejected(field, model, body);

    [Fact]
    public void MissingTheorySectionIsRejected()
    {
        Experiment experiment = ExperimentParser.Parse("""
            { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 5,
              "ensemble": { "width": 8, "members": 2 } }
            """);
        var e = Assert.Throws<ExperimentException>(() => TheoryRunner.Run(experiment, TheoryFixture.Model("TwoLayerTanh"), DataFactory.Build(experiment.Data), null, CancellationToken.None));
        Assert.Equal("theory", e.Field);
    }
}
