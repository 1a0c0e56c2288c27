using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FieldTheory.Experiments;

namespace FieldTheory.Sweeps;

/// <summary>One swept field: a JSON path into the experiment (e.g. <c>ensemble.width</c>) and its values.</summary>
internal sealed record GridAxis(string Path, IReadOnlyList<JsonNode> Values)
{
    /// <summary>Parses <c>path=v1,v2,...</c>; values are JSON literals (numbers, true/false) or bare words (strings).</summary>
    public static GridAxis Parse(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new ExperimentException("--grid", $"'{text}' is not of the form path=value1,value2 (for example gamma0=0.5,1,2).");
        }

        string path = text[..equals].Trim();
        if (path.Split('.').Any(part => part.Length == 0))
        {
            throw new ExperimentException("--grid", $"'{path}' is not a field path such as gamma0 or ensemble.width.");
        }

        JsonNode[] values = [.. text[(equals + 1)..].Split(',').Select(v => ParseValue(v.Trim(), path))];
        return new GridAxis(path, values);
    }

    private static JsonNode ParseValue(string value, string path)
    {
        if (value.Length == 0)
        {
            throw new ExperimentException("--grid", $"{path} has an empty value.");
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return double.IsFinite(number)
                ? JsonValue.Create(number)
                : throw new ExperimentException("--grid", $"{path} value '{value}' is not a finite number.");
        }

        return value is "true" or "false" ? JsonValue.Create(value == "true") : JsonValue.Create(value.Trim('"'));
    }
}

/// <summary>One point of a sweep: its position in the full grid and the value of every axis.</summary>
internal sealed record SweepPoint(int Index, IReadOnlyList<(string Path, JsonNode Value)> Assignments)
{
    /// <summary>A file-name-safe name built from the parameters, e.g. <c>gamma0=0.5_ensemble.width=128</c>.</summary>
    public string Name
    {
        get
        {
            var name = new StringBuilder();
            foreach ((string path, JsonNode value) in Assignments)
            {
                if (name.Length > 0)
                {
                    name.Append('_');
                }

                name.Append(path).Append('=').Append(Format(value));
            }

            return name.ToString();
        }
    }

    /// <summary>The experiment with this point's values written into it (parent objects are created as needed).</summary>
    public JsonObject ApplyTo(JsonObject experiment)
    {
        var copy = (JsonObject)experiment.DeepClone();
        foreach ((string path, JsonNode value) in Assignments)
        {
            string[] parts = path.Split('.');
            JsonObject target = copy;
            foreach (string part in parts[..^1])
            {
                if (target[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    target[part] = child;
                }

                target = child;
            }

            target[parts[^1]] = value.DeepClone();
        }

        return copy;
    }

    private static string Format(JsonNode value)
    {
        string text = value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)
            : value.ToString();
        var safe = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            safe.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '+' ? c : '-');
        }

        return safe.ToString();
    }
}

/// <summary>The Cartesian product of grid axes, in a fixed order (the first axis varies slowest), and its shards.</summary>
internal static class SweepGrid
{
    /// <summary>Every point of the grid.</summary>
    public static IReadOnlyList<SweepPoint> Points(IReadOnlyList<GridAxis> axes)
    {
        if (axes.Count == 0)
        {
            throw new ExperimentException("--grid", "a sweep needs at least one --grid path=values.");
        }

        string? repeated = axes.GroupBy(a => a.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ExperimentException("--grid", $"{repeated} is swept twice; give all its values in one --grid.");
        }

        var points = new List<SweepPoint>();
        int total = axes.Aggregate(1, (n, a) => checked(n * a.Values.Count));
        for (int index = 0; index < total; index++)
        {
            var assignments = new (string, JsonNode)[axes.Count];
            int rest = index;
            for (int a = axes.Count - 1; a >= 0; a--)
            {
                int count = axes[a].Values.Count;
                assignments[a] = (axes[a].Path, axes[a].Values[rest % count]);
                rest /= count;
            }

            points.Add(new SweepPoint(index, assignments));
        }

        return points;
    }

    /// <summary>
    /// Shard <c>i/n</c> (i from 1 to n, as Slurm array task ids 1..n): the points whose index is i - 1 modulo n, so
    /// the n shards together cover every point exactly once.
    /// </summary>
    public static IReadOnlyList<SweepPoint> Shard(IReadOnlyList<SweepPoint> points, string shard)
    {
        string[] parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 1 || i > n)
        {
            throw new ExperimentException("--shard", $"'{shard}' is not of the form i/n with 1 <= i <= n (for example 2/8).");
        }

        return [.. points.Where(p => p.Index % n == i - 1)];
    }
}
