using FieldTheory.Data;
using FieldTheory.Experiments;

namespace FieldTheory.Tests.Experiments;

public sealed class ExperimentParserTests
{
    private const string Minimal = """
        { "model": "TwoLayerTanh",                       // comments are allowed
          "data": { "kind": "scalar", "x": 1.0, "y": 1.0 },
          "gamma0": 1.0, "eta": 0.05, "steps": 160, "centered": false,
          "ensemble": { "width": 128, "members": 2000, "seed": 1 }, }
        """;

    [Fact]
    public void ParsesTheDocumentedExample()
    {
        Experiment e = ExperimentParser.Parse(Minimal);

        Assert.Equal("TwoLayerTanh", e.Model.Name);
        Assert.Equal(new ScalarData(1.0, 1.0), e.Data);
        Assert.Equal((1.0, 0.05, 160, false), (e.Gamma0, e.Eta, e.Steps, e.Centered));
        Assert.Equal(new EnsembleSpec(128, 2000, 1, "cpu"), e.Ensemble);
        Assert.Null(e.Theory);
    }

    [Fact]
    public void ParsesTheorySectionAndDefaults()
    {
        Experiment e = ExperimentParser.Parse("""
            { "model": "DeepTanh", "data": { "kind": "gaussian", "dim": 4, "train": 8, "teacher": "tanh" },
              "gamma0": 0.5, "eta": 0.1, "steps": 10, "theory": { "integration": "qmc", "fluctuations": true } }
            """);

        Assert.Equal(new GaussianData(4, 8, 0, TeacherKind.Tanh, 0.0, 1), e.Data);
        Assert.Equal(new TheorySpec(25600, IntegrationMethod.Qmc, 1, false, true, false), e.Theory);
        Assert.Equal("cpu", e.Theory!.Device);
        Assert.Equal(1e-18, e.Theory.PrunedMass);
        Assert.Equal(0.0, ExperimentParser.Parse("""
            { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "integration": "quadrature", "prunedMass": 0 } }
            """).Theory!.PrunedMass);
        Assert.Equal("auto", ExperimentParser.Parse("""
            { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "device": "auto" } }
            """).Theory!.Device);
    }

    [Fact]
    public void InlineDataReadsRowsAndTestPoints()
    {
        Experiment e = ExperimentParser.Parse("""
            { "model": "TwoLayerRelu", "gamma0": 1, "eta": 0.1, "steps": 3, "ensemble": { "width": 8, "members": 4 },
              "data": { "kind": "inline", "x": [[1, 0], [0, 1], [1, 1]], "y": [1, -1, 0], "testX": [[2, 2]], "testY": [0.5] } }
            """);

        var data = Assert.IsType<InlineData>(e.Data);
        Assert.Equal(2, data.Dimension);
        Assert.Equal([1.0, 0, 0, 1, 1, 1], data.X);
        Assert.Equal([2.0, 2.0], data.TestX!);
    }

    [Fact]
    public void RelativeModelFileIsResolvedAgainstTheExperimentFolder()
    {
        Experiment e = ExperimentParser.Parse(
            """{ "modelFile": "models/Mine.cs", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""",
            "/experiments");

        Assert.Equal(Path.GetFullPath("/experiments/models/Mine.cs"), e.Model.File);
    }

    [Theory]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "ensemble": { "width": -4, "members": 10 } }""", "ensemble.width", "-4")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "ensemble": { "width": 4, "members": 10, "colour": 1 } }""", "ensemble.colour", "unknown key")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 0, "eta": 0.1, "steps": 1, "theory": {} }""", "gamma0", "greater than 0")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "steps": 1, "theory": {} }""", "eta", "missing")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1e999, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "data.x", "finite number")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": "one", "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "data.x", "\"one\"")]
    [InlineData("""{ "model": "M", "data": { "kind": "spiral" }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "data.kind", "\"spiral\"")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 2.5, "theory": {} }""", "steps", "integer")]
    [InlineData("""{ "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "model", "missing")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1 }""", "(file)", "nothing to run")]
    [InlineData("""{ "model": "M", "data": { "kind": "inline", "x": [[1, 2], [3]], "y": [1, 2] }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "data.x[1]", "same dimension")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "online": true, "batch": 4, "theory": {} }""", "online", "gaussian")]
    [InlineData("""{ "model": "M", "data": { "kind": "fashion-mnist", "train": 10, "classes": [3, 3] }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {} }""", "data.classes", "two different")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "integration": "magic" } }""", "theory.integration", "\"magic\"")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "device": "tpu" } }""", "theory.device", "\"tpu\"")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "integration": "quadrature", "prunedMass": 0.01 } }""", "theory.prunedMass", "out of range")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": { "prunedMass": 0 } }""", "theory.prunedMass", "only used with \"integration\": \"quadrature\"")]
    [InlineData("""{ "model": "M", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.1, "steps": 1, "theory": {}""", "(file)", "not valid JSON")]
    public void BadFilesNameTheFieldAndTheProblem(string json, string field, string expected)
    {
        var error = Assert.Throws<ExperimentException>(() => ExperimentParser.Parse(json));

        Assert.Equal(field, error.Field);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void UnreadableFileIsAnExperimentError()
    {
        var error = Assert.Throws<ExperimentException>(() => ExperimentParser.ParseFile("/no/such/experiment.json"));

        Assert.Contains("/no/such/experiment.json", error.Message);
    }
}
