using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FieldTheory.Cli;

/// <summary>
/// What <c>ftc describe</c> reports; its JSON form is a contract used by other tools:
/// <c>{"name", "hiddenLayers", "activation": {"phi","d1","d2","d3","smoothness","kinks","family",...}, "values": [{"h","phi","d1","d2","d3"}]}</c>.
/// </summary>
internal sealed record ModelDescription(
    string Name,
    string TypeName,
    int HiddenLayers,
    ActivationInfo Activation,
    IReadOnlyList<PointValues> Values)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // formulas keep their < and > readable
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static ModelDescription Of(NetworkModel model, IReadOnlyList<double> points)
    {
        return new ModelDescription(
            model.Name,
            model.Info.TypeName,
            model.HiddenLayers,
            model.Info.Activation,
            points.Select(h =>
            {
                ActivationJet jet = model.Jet(h);
                return new PointValues(h, jet.Value, jet.D1, jet.D2, jet.D3);
            }).ToArray());
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

internal sealed record PointValues(double H, double Phi, double D1, double D2, double D3);
