using System.Text.Json;

namespace FieldTheory.Experiments;

/// <summary>
/// Reads the fields of one JSON object with exact error messages: every error names the JSON path, the value found
/// and what is allowed; fields nobody asked for are reported as unknown (a typo must not be silently ignored).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public JsonFields(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ExperimentException(path.Length == 0 ? "(file)" : path, $"expected an object {{ ... }}, found {Describe(element)}.");
        }

        _object = element;
        _path = path;
    }

    public string PathOf(string name) => _path.Length == 0 ? name : _path + "." + name;

    public bool Has(string name) => _object.TryGetProperty(name, out _);

    public JsonElement? Get(string name)
    {
        _read.Add(name);
        return _object.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public JsonElement Required(string name, string what) =>
        Get(name) ?? throw new ExperimentException(PathOf(name), $"missing; expected {what}.");

    public JsonFields Object(string name) => new(Required(name, "an object { ... }"), PathOf(name));

    public JsonFields? OptionalObject(string name) => Get(name) is JsonElement e ? new JsonFields(e, PathOf(name)) : null;

    /// <summary>A finite number in the allowed range.</summary>
    public double Number(string name, double? fallback = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool exclusiveMin = false)
    {
        JsonElement? e = Get(name);
        if (e is null)
        {
            return fallback ?? throw new ExperimentException(PathOf(name), $"missing; expected a number{Range(min, max, exclusiveMin)}.");
        }

        double value = ToNumber(e.Value, PathOf(name));
        if (value < min || value > max || (exclusiveMin && value == min))
        {
            throw new ExperimentException(PathOf(name), $"{Format(value)} is out of range; expected a number{Range(min, max, exclusiveMin)}.");
        }

        return value;
    }

    /// <summary>An integer in [min, max].</summary>
    public int Integer(string name, int? fallback = null, int min = int.MinValue, int max = int.MaxValue)
    {
        JsonElement? e = Get(name);
        if (e is null)
        {
            return fallback ?? throw new ExperimentException(PathOf(name), $"missing; expected an integer from {min} to {max}.");
        }

        double value = ToNumber(e.Value, PathOf(name));
        if (Math.Floor(value) != value || value < min || value > max)
        {
            throw new ExperimentException(PathOf(name), $"{Format(value)} is not allowed; expected an integer from {min} to {max}.");
        }

        return (int)value;
    }

    public ulong Seed(string name, ulong fallback)
    {
        JsonElement? e = Get(name);
        if (e is null)
        {
            return fallback;
        }

        if (e.Value.ValueKind != JsonValueKind.Number || !e.Value.TryGetUInt64(out ulong seed))
        {
            throw new ExperimentException(PathOf(name), $"{Describe(e.Value)} is not a seed; expected a non-negative integer.");
        }

        return seed;
    }

    public bool Bool(string name, bool fallback)
    {
        JsonElement? e = Get(name);
        return e is null ? fallback
            : e.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.Value.GetBoolean()
            : throw new ExperimentException(PathOf(name), $"{Describe(e.Value)} is not allowed; expected true or false.");
    }

    public string? String(string name)
    {
        JsonElement? e = Get(name);
        return e is null ? null
            : e.Value.ValueKind == JsonValueKind.String ? e.Value.GetString()
            : throw new ExperimentException(PathOf(name), $"{Describe(e.Value)} is not allowed; expected a string.");
    }

    /// <summary>One of the allowed words (case-insensitive), returned as written in <paramref name="allowed"/>.</summary>
    public string Choice(string name, string? fallback, params string[] allowed)
    {
        string? value = String(name);
        if (value is null)
        {
            return fallback ?? throw new ExperimentException(PathOf(name), $"missing; expected one of {string.Join(", ", allowed.Select(a => '"' + a + '"'))}.");
        }

        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExperimentException(PathOf(name), $"\"{value}\" is not allowed; expected one of {string.Join(", ", allowed.Select(a => '"' + a + '"'))}.");
    }

    /// <summary>A flat array of finite numbers.</summary>
    public double[]? Numbers(string name)
    {
        JsonElement? e = Get(name);
        if (e is null)
        {
            return null;
        }

        if (e.Value.ValueKind != JsonValueKind.Array)
        {
            throw new ExperimentException(PathOf(name), $"{Describe(e.Value)} is not allowed; expected an array of numbers.");
        }

        return e.Value.EnumerateArray().Select((v, i) => ToNumber(v, $"{PathOf(name)}[{i}]")).ToArray();
    }

    /// <summary>Rows of numbers (a matrix), or a flat array read as rows of length 1. Returns (rows, flattened).</summary>
    public (int Rows, int Columns, double[] Values)? Matrix(string name)
    {
        JsonElement? e = Get(name);
        if (e is null)
        {
            return null;
        }

        if (e.Value.ValueKind != JsonValueKind.Array)
        {
            throw new ExperimentException(PathOf(name), $"{Describe(e.Value)} is not allowed; expected an array of rows, e.g. [[1, 0], [0, 1]].");
        }

        JsonElement[] rows = [.. e.Value.EnumerateArray()];
        if (rows.Length == 0)
        {
            return (0, 0, []);
        }

        if (rows.All(r => r.ValueKind == JsonValueKind.Number))
        {
            return (rows.Length, 1, rows.Select((v, i) => ToNumber(v, $"{PathOf(name)}[{i}]")).ToArray());
        }

        var values = new List<double>();
        int columns = -1;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].ValueKind != JsonValueKind.Array)
            {
                throw new ExperimentException($"{PathOf(name)}[{i}]", $"{Describe(rows[i])} is not allowed; expected a row [x1, ..., xD].");
            }

            JsonElement[] row = [.. rows[i].EnumerateArray()];
            if (columns >= 0 && row.Length != columns)
            {
                throw new ExperimentException($"{PathOf(name)}[{i}]", $"has {row.Length} numbers but row 0 has {columns}; every input must have the same dimension.");
            }

            columns = row.Length;
            values.AddRange(row.Select((v, j) => ToNumber(v, $"{PathOf(name)}[{i}][{j}]")));
        }

        return (rows.Length, columns, [.. values]);
    }

    public void RejectUnknown()
    {
        foreach (JsonProperty property in _object.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                throw new ExperimentException(PathOf(property.Name), "unknown key. Check its spelling against the README's experiment file reference.");
            }
        }
    }

    private static double ToNumber(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw new ExperimentException(path, $"{Describe(e)} is not allowed; expected a finite number.");
        }

        return value;
    }

    private static string Range(double min, double max, bool exclusiveMin)
    {
        bool hasMin = !double.IsNegativeInfinity(min);
        bool hasMax = !double.IsPositiveInfinity(max);
        return (hasMin, hasMax) switch
        {
            (true, true) => $" from {Format(min)}{(exclusiveMin ? " (excluded)" : string.Empty)} to {Format(max)}",
            (true, false) => exclusiveMin ? $" greater than {Format(min)}" : $" of at least {Format(min)}",
            (false, true) => $" of at most {Format(max)}",
            _ => string.Empty,
        };
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
