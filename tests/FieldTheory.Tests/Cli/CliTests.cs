using System.Text.Json;
using FieldTheory.Models;

namespace FieldTheory.Tests.Cli;

/// <summary>The ftc contract other tools rely on: listings, the describe JSON shape, and one-line errors.</summary>
public sealed class CliTests
{
    [Fact]
    public void ModelsListsTheWholeCatalogue()
    {
        Ftc.Result result = Ftc.Run("models");

        Assert.Equal(0, result.ExitCode);
        foreach (NetworkModel model in BuiltInModels.Catalogue.Models)
        {
            Assert.Contains(model.Name, result.Out);
        }
    }

    [Fact]
    public void DescribeJsonHasTheDocumentedShapeAndValues()
    {
        Ftc.Result result = Ftc.Run("describe", "TwoLayerTanh", "--at=-1,0,0.5", "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Out);
        JsonElement root = json.RootElement;
        Assert.Equal("TwoLayerTanh", root.GetProperty("name").GetString());
        Assert.Equal(1, root.GetProperty("hiddenLayers").GetInt32());
        JsonElement activation = root.GetProperty("activation");
        foreach (string key in new[] { "phi", "d1", "d2", "d3", "smoothness", "family" })
        {
            Assert.Equal(JsonValueKind.String, activation.GetProperty(key).ValueKind);
        }

        Assert.Equal("tanh(h)", activation.GetProperty("phi").GetString());
        Assert.Equal("smooth", activation.GetProperty("smoothness").GetString());
        Assert.Equal(JsonValueKind.Array, activation.GetProperty("kinks").ValueKind);

        JsonElement[] values = [.. root.GetProperty("values").EnumerateArray()];
        Assert.Equal(3, values.Length);
        double h = values[2].GetProperty("h").GetDouble();
        double t = Math.Tanh(h);
        Assert.Equal(0.5, h);
        Assert.Equal(t, values[2].GetProperty("phi").GetDouble(), 1e-15);
        Assert.Equal(1 - (t * t), values[2].GetProperty("d1").GetDouble(), 1e-15);
        Assert.Equal(-2 * t * (1 - (t * t)), values[2].GetProperty("d2").GetDouble(), 1e-15);
        Assert.Equal((-2 * (1 - (t * t)) * (1 - (t * t))) + (4 * t * t * (1 - (t * t))), values[2].GetProperty("d3").GetDouble(), 1e-15);
    }

    [Fact]
    public void DescribeShowsFormulasAndKinksAsText()
    {
        Ftc.Result result = Ftc.Run("describe", "LeakyRelu", "--at", "-1,1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("h > 0 ? h : 0.1 * h", result.Out);
        Assert.Contains("kinks at h = 0", result.Out);
        Assert.Contains("ReluLike [0.1, 1]", result.Out);
    }

    [Fact]
    public void DescribeCompilesAModelFile()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("ftc-cli-").FullName, "Sine.cs");
        File.WriteAllText(path, """
            using FieldTheory;
            [Network(HiddenLayers = 2)]
            public static partial class Sine
            {
                [Activation] static double Phi(double h) => Math.Sin(2 * h);
            }
            """);

        Ftc.Result result = Ftc.Run("describe", "--model-file", path, "--json", "--at", "0.3");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Out);
        Assert.Equal("Sine", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("hiddenLayers").GetInt32());
        Assert.Equal(2 * Math.Cos(0.6), json.RootElement.GetProperty("values")[0].GetProperty("d1").GetDouble(), 1e-15);
    }

    [Theory]
    [InlineData("unknown model 'NoSuchModel'", "describe", "NoSuchModel")]
    [InlineData("--at: 'x' is not a finite number", "describe", "TwoLayerTanh", "--at", "1,x")]
    [InlineData("--at: 'NaN' is not a finite number", "describe", "TwoLayerTanh", "--at", "NaN")]
    [InlineData("--model-file: file", "describe", "--model-file", "/no/such/file.cs")]
    [InlineData("name a model", "describe")]
    [InlineData("Unknown command 'frobnicate'", "frobnicate")]
    public void BadInputExitsNonZeroWithOneLineOnStderr(string expected, params string[] args)
    {
        Ftc.Result result = Ftc.Run(args);

        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ftc: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.Out + result.Error);
    }

    [Fact]
    public void BrokenModelFileReportsTheGeneratorDiagnosticWithItsLocation()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("ftc-cli-").FullName, "Bad.cs");
        File.WriteAllText(path, "using FieldTheory;\n[Network]\npublic static partial class Bad\n{\n    [Activation] static double Phi(double h) => h == 0 ? 1 : h;\n}\n");

        Ftc.Result result = Ftc.Run("describe", "--model-file", path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{path}(5,", result.Error);
        Assert.Contains("error FTC0010", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
