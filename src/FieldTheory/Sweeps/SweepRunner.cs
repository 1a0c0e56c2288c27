using System.Text.Json;
using System.Text.Json.Nodes;
using FieldTheory.Experiments;
using FieldTheory.Results;

namespace FieldTheory.Sweeps;

/// <summary>What happened to one point of a sweep.</summary>
internal enum SweepPointStatus
{
    /// <summary>Run now and written.</summary>
    Ran,

    /// <summary>Its result file already existed (a resumed sweep).</summary>
    AlreadyDone,
}

/// <summary>
/// Runs the points of a sweep, each into its own result file named by its parameters, skipping points whose result
/// already exists, so an interrupted or sharded sweep resumes where it stopped. Results are written to a temporary file
/// and renamed, so a killed run never leaves a half-written result that would be taken as done.
/// </summary>
internal sealed class SweepRunner(JsonObject experiment, string? baseDirectory, string outputDirectory, Func<Experiment, IProgress<double>?, CancellationToken, ExperimentResult> run)
{
    /// <summary>Suffix of result files.</summary>
    public const string ResultSuffix = ".result.json";

    /// <summary>Name of the property that records the sweep point in a result file.</summary>
    public const string PointProperty = "sweepPoint";

    /// <summary>Reads an experiment file as a JSON object (comments and trailing commas allowed).</summary>
    public static JsonObject ReadExperiment(string path)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return node as JsonObject ?? throw new ExperimentException("(file)", $"'{path}' does not hold a JSON object.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ExperimentException("(file)", $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>The result file of a point.</summary>
    public string ResultPath(SweepPoint point) => Path.Combine(outputDirectory, point.Name + ResultSuffix);

    /// <summary>Checks every point's experiment before anything runs, so a bad grid fails at once, not hours later.</summary>
    public void Validate(IEnumerable<SweepPoint> points)
    {
        foreach (SweepPoint point in points)
        {
            ExperimentParser.Parse(point.ApplyTo(experiment).ToJsonString(), baseDirectory);
        }
    }

    /// <summary>Runs one point unless its result exists; <paramref name="progress"/> reports the point's own progress.</summary>
    public SweepPointStatus Run(SweepPoint point, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        string path = ResultPath(point);
        if (IsDone(path))
        {
            return SweepPointStatus.AlreadyDone;
        }

        Experiment parsed = ExperimentParser.Parse(point.ApplyTo(experiment).ToJsonString(), baseDirectory);
        ExperimentResult result = run(parsed, progress, cancellationToken);
        var document = JsonNode.Parse(ResultJson.Serialize(result))!.AsObject();
        var parameters = new JsonObject();
        foreach ((string key, JsonNode value) in point.Assignments)
        {
            parameters[key] = value.DeepClone();
        }

        document[PointProperty] = new JsonObject { ["index"] = point.Index, ["name"] = point.Name, ["parameters"] = parameters };
        Directory.CreateDirectory(outputDirectory);
        string temporary = path + ".partial";
        File.WriteAllText(temporary, document.ToJsonString());
        File.Move(temporary, path, overwrite: true);
        return SweepPointStatus.Ran;
    }

    private static bool IsDone(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o && o.ContainsKey(PointProperty);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
