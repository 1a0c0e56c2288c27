using System.Text.Json;

namespace FieldTheory.Convolutions.Tests;

/// <summary><c>ftc cnn</c> end to end: the real executable on a tiny experiment file.</summary>
public sealed class CnnCommandTests : IDisposable
{
    private const string Tiny = """
        { "model": "FashionCnn", "data": { "kind": "fashion-mnist", "train": 8, "test": 8, "classes": [0, 1] },
          "gamma0": 1.0, "eta": 0.03, "steps": 2, "widths": [2, 3], "members": 3, "batch": 4 }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("ftc-cnn-").FullName;

    [Fact]
    public void Writes_the_result_json_with_fits_and_one_point_per_width()
    {
        string experiment = Path.Combine(_folder, "tiny.json");
        File.WriteAllText(experiment, Tiny);

        (int code, string stdout, string stderr) = Ftc("cnn", experiment, "--plots", Path.Combine(_folder, "plots"));

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "plots", "cnn-variance.png")));
        Assert.Contains("infinite width", stdout);
        using JsonDocument result = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "tiny.result.json")));
        JsonElement root = result.RootElement.GetProperty("result");
        Assert.Equal(2, root.GetProperty("points").GetArrayLength());
        Assert.True(root.GetProperty("biasFit").GetProperty("a").TryGetProperty("stdErr", out _));
        Assert.Contains("jackknife", result.RootElement.GetProperty("convention").GetString());
    }

    [Fact]
    public void Bad_input_is_one_line_on_stderr()
    {
        string experiment = Path.Combine(_folder, "bad.json");
        File.WriteAllText(experiment, Tiny.Replace("FashionCnn", "NoSuchCnn"));

        (int code, _, string stderr) = Ftc("cnn", experiment);
        (int both, _, string bothError) = Ftc("cnn", experiment, "--quick");

        Assert.Equal(1, code);
        Assert.StartsWith("ftc: model: Unknown convolutional network 'NoSuchCnn'", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal(1, both);
        Assert.Contains("either an experiment file or --quick", bothError);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Out, string Error) Ftc(params string[] args) => FtcProcess.Run(args);
}
