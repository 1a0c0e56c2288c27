using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory;

namespace FieldTheory.Online.Tests;

/// <summary><c>"online": true</c> experiments through TheoryRunner and ExperimentRunner, and their input checks.</summary>
public sealed class RunnerTests
{
    [Fact]
    public void OnlineExperimentRunsEndToEndAndComparesWithEnsembles()
    {
        Experiment experiment = OnlineExperiments.Verified(steps: 3, batch: 8, sites: 64, test: 5, bias: true, width: 16, members: 4);
        ExperimentResult result = ExperimentRunner.Run(experiment, OnlineExperiments.TwoLayerTanh, null, CancellationToken.None);
        TheoryResult theory = result.Theory!;
        Assert.StartsWith("online learning at infinite width", theory.Method);
        Assert.Equal(4, theory.Mean.TestLoss!.Length);
        Assert.Equal(8, theory.Mean.F[3].Length);
        Assert.Equal(8, theory.Mean.Ntk[3][7].Length);
        Assert.Equal(5, theory.Mean.TestF![3].Length);
        Assert.NotNull(result.Comparison);
        Assert.Equal(4, theory.Nbias!.TestLoss!.Length);
        Assert.All(theory.Nbias.TestLoss, c => Assert.True(c > 0));
        Assert.True(theory.Mean.TestLoss[3] < theory.Mean.TestLoss[0], "the population loss falls");
        string json = ResultJson.Serialize(result);
        Assert.Contains("online", json);
    }

    [Fact]
    public void BatchRecordsAreTheInfiniteWidthNetworkOnTheEnsemblesBatches()
    {
        Experiment experiment = OnlineExperiments.Verified(steps: 2, batch: 4, sites: 64);
        TheoryResult theory = TheoryRunner.Run(experiment, OnlineExperiments.TwoLayerTanh, DataFactory.Build(experiment.Data), null, CancellationToken.None);
        for (int n = 0; n <= 2; n++)
        {
            double batchLoss = 0.5 * theory.Mean.Delta[n].Sum(d => d * d) / 4;
            Assert.Equal(batchLoss, theory.Mean.Loss[n], 12);
            for (int mu = 0; mu < 4; mu++)
            {
                Assert.True(theory.Mean.Ntk[n][mu][mu] > 0);
                Assert.Equal(theory.Mean.Ntk[n][mu][(mu + 1) % 4], theory.Mean.Ntk[n][(mu + 1) % 4][mu], 12);
            }
        }
    }

    [Theory]
    [InlineData("model", "DeepTanh", """ "centered": false, "theory": { "sites": 64 } """)]
    [InlineData("centered", "TwoLayerTanh", """ "centered": true, "theory": { "sites": 64 } """)]
    [InlineData("theory.fluctuations", "TwoLayerTanh", """ "theory": { "sites": 64, "fluctuations": true } """)]
    [InlineData("theory.sites", "TwoLayerTanh", """ "theory": { "sites": 4, "integration": "quadrature" } """)]
    [InlineData("theory.sites", "TwoLayerTanh", """ "theory": { "sites": 10, "integration": "mc" } """)]
    public void BadSettingsNameTheField(string field, string model, string body)
    {
        Experiment experiment = ExperimentParser.Parse($$"""
            { "model": "{{model}}", "data": { "kind": "gaussian", "dim": 2, "train": 1, "teacher": "tanh" },
              "online": true, "batch": 8, "gamma0": 1, "eta": 0.5, "steps": 3, {{body}} }
            """);
        NetworkModel network = FieldTheory.Models.BuiltInModels.Catalogue.Get(model);
        var e = Assert.Throws<ExperimentException>(() => TheoryRunner.Run(experiment, network, DataFactory.Build(experiment.Data), null, CancellationToken.None));
        Assert.Equal(field, e.Field);
    }
}
