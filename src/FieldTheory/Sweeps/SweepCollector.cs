using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FieldTheory.Results;

namespace FieldTheory.Sweeps;

/// <summary>One row of a collected sweep: the point's parameters and summary numbers of its result.</summary>
/// <param name="Name">The point's name.</param>
/// <param name="Parameters">Swept path and value, in grid order.</param>
/// <param name="Metrics">Summary numbers by column name (NaN where the result has no such number).</param>
/// <param name="Result">The point's whole result (for figures of its trajectories).</param>
internal sealed record SweepRow(string Name, IReadOnlyList<(string Path, string Value)> Parameters, IReadOnlyDictionary<string, double> Metrics, ExperimentResult Result);

/// <summary>Merges the result files of a sweep folder into one table (and CSV); the CLI also plots them (SweepPlots).</summary>
internal static class SweepCollector
{
    /// <summary>The summary columns, in order.</summary>
    public static readonly string[] MetricNames =
    [
        "ensembleFinalLoss", "ensembleFinalLossStdErr", "theoryFinalLoss",
        "ensembleFinalDelta0", "theoryFinalDelta0",
        "ensembleNvarDelta0Peak", "ensembleFinalNvarNtk00", "ensembleFinalNvarNtk00StdErr",
    ];

    /// <summary>Every result of <paramref name="directory"/> that belongs to a sweep, ordered by point index.</summary>
    public static IReadOnlyList<SweepRow> Collect(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new Experiments.ExperimentException("--collect", $"folder '{directory}' does not exist.");
        }

        var rows = new List<(int Index, SweepRow Row)>();
        foreach (string path in Directory.EnumerateFiles(directory, "*" + SweepRunner.ResultSuffix))
        {
            string text = File.ReadAllText(path);
            if (JsonNode.Parse(text) is not JsonObject document || document[SweepRunner.PointProperty] is not JsonObject point)
            {
                continue;
            }

            ExperimentResult result = ResultJson.Deserialize(text);
            var parameters = point["parameters"]!.AsObject().Select(p => (p.Key, p.Value!.ToJsonString().Trim('"'))).ToArray();
            rows.Add((point["index"]!.GetValue<int>(), new SweepRow(point["name"]!.GetValue<string>(), parameters, Metrics(result), result)));
        }

        SweepRow[] ordered = [.. rows.OrderBy(r => r.Index).Select(r => r.Row)];
        string[] Paths(SweepRow row) => [.. row.Parameters.Select(p => p.Path)];
        if (ordered.FirstOrDefault(r => !Paths(r).SequenceEqual(Paths(ordered[0]))) is { } other)
        {
            throw new Experiments.ExperimentException(
                "--collect",
                $"folder '{directory}' holds results of different grids ({string.Join(", ", Paths(ordered[0]))} in {ordered[0].Name}; "
                + $"{string.Join(", ", Paths(other))} in {other.Name}); collect one sweep per folder.");
        }

        return ordered;
    }

    /// <summary>The rows as CSV: parameters, then <see cref="MetricNames"/>, invariant culture.</summary>
    public static string ToCsv(IReadOnlyList<SweepRow> rows)
    {
        var csv = new StringBuilder();
        string[] parameterNames = rows.Count > 0 ? [.. rows[0].Parameters.Select(p => p.Path)] : [];
        csv.AppendLine(string.Join(",", parameterNames.Concat(MetricNames)));
        foreach (SweepRow row in rows)
        {
            IEnumerable<string> values = row.Parameters.Select(p => p.Value)
                .Concat(MetricNames.Select(m => row.Metrics[m].ToString("R", CultureInfo.InvariantCulture)));
            csv.AppendLine(string.Join(",", values));
        }

        return csv.ToString();
    }

    private static Dictionary<string, double> Metrics(ExperimentResult result)
    {
        var m = MetricNames.ToDictionary(n => n, _ => double.NaN);
        if (result.Ensemble is { } e && e.Mean.Loss.Length > 0)
        {
            int last = e.Mean.Loss.Length - 1;
            m["ensembleFinalLoss"] = e.Mean.Loss[last];
            m["ensembleFinalLossStdErr"] = e.MeanStdErr.Loss[last];
            m["ensembleFinalDelta0"] = e.Mean.Delta[last][0];
            m["ensembleNvarDelta0Peak"] = e.Nvar.Delta.Max(row => row[0]);
            m["ensembleFinalNvarNtk00"] = e.Nvar.Ntk[last][0][0];
            m["ensembleFinalNvarNtk00StdErr"] = e.NvarStdErr.Ntk[last][0][0];
        }

        if (result.Theory is { } t && t.Mean.Loss.Length > 0)
        {
            m["theoryFinalLoss"] = t.Mean.Loss[^1];
            m["theoryFinalDelta0"] = t.Mean.Delta[^1][0];
        }

        return m;
    }
}
