using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FieldTheory.Results;

/// <summary>Writes results as JSON: camelCase names, nulls omitted, non-finite numbers as "NaN"/"Infinity" strings.</summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The result as one JSON document.</summary>
    public static string Serialize(ExperimentResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Reads a result written by <see cref="Serialize"/>.</summary>
    public static ExperimentResult Deserialize(string json) =>
        JsonSerializer.Deserialize<ExperimentResult>(json, Options) ?? throw new JsonException("empty result document");
}
