using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.Tests.PublicApi;

/// <summary>The programmatic use shown in docs/public-api.md: experiment JSON in, result object out, the result JSON schema.</summary>
public sealed class FacadeTests
{
    private const string ExperimentJson = """
        { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1.0, "y": 1.0 }, "gamma0": 1.0, "eta": 0.1, "steps": 10,
          "ensemble": { "width": 16, "members": 8, "seed": 3 }, "theory": { "sites": 1024 } }
        """;

    [Fact]
    public void An_experiment_runs_from_json_to_a_result_and_back_through_its_schema()
    {
        Experiment experiment = ExperimentParser.Parse(ExperimentJson);

        ExperimentResult result = ExperimentRunner.Run(experiment, BuiltInModels.Catalogue);
        ExperimentResult reread = ResultJson.Deserialize(ResultJson.Serialize(result));

        // At n = 0 the infinite-width output is 0, so Delta = y = 1 and L = 1/2 (DESIGN.md section 2) up to the theory's
        // reported integration error; training lowers L.
        double integrationError = reread.Theory!.IntegrationError?.Loss[0] ?? 0.0;
        Assert.True(Math.Abs(reread.Theory.Mean.Loss[0] - 0.5) <= integrationError + 1e-15, $"theory L(0) = {reread.Theory.Mean.Loss[0]} ± {integrationError}");
        Assert.True(reread.Theory.Mean.Loss[^1] < reread.Theory.Mean.Loss[0], $"theory loss {reread.Theory.Mean.Loss[^1]}");
        Assert.Equal(11, reread.Time.Length);
        Assert.Equal(8, reread.Ensemble!.Members);
        Assert.Null(reread.Ensemble.DivergedAtStep);
        Assert.Null(ExperimentRunner.DivergenceMessage(reread));
        Assert.Equal(result.Ensemble!.Mean.Loss, reread.Ensemble.Mean.Loss);
        Assert.Equal(experiment, reread.Experiment);
    }

    [Fact]
    public void Bad_input_names_the_json_field()
    {
        var error = Assert.Throws<ExperimentException>(() => ExperimentParser.Parse(ExperimentJson.Replace("\"eta\": 0.1", "\"eta\": -1", StringComparison.Ordinal)));

        Assert.Equal("eta", error.Field);
    }

    [Fact]
    public void A_model_the_catalogue_lacks_is_reported_with_the_known_names()
    {
        Experiment experiment = ExperimentParser.Parse(ExperimentJson.Replace("TwoLayerTanh", "NoSuchModel", StringComparison.Ordinal));

        var error = Assert.Throws<ExperimentException>(() => ExperimentRunner.Run(experiment, BuiltInModels.Catalogue));

        Assert.Equal("model", error.Field);
        Assert.Contains("TwoLayerTanh", error.Message, StringComparison.Ordinal);
    }
}
