using System.Text.Json;
using System.Text.Json.Serialization;

namespace FieldTheory.Convolutions;

/// <summary>Writes a <see cref="CnnBiasVarianceResult"/> as indented JSON (camelCase names, non-finite numbers as strings).</summary>
internal static class CnnResultJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The JSON text of <paramref name="result"/>, with the loss convention stated in a <c>convention</c> field.</summary>
    public static string Serialize(CnnBiasVarianceResult result) => JsonSerializer.Serialize(
        new
        {
            convention = "test loss = mean over test images of the squared error summed over outputs, sum_c (y_c - f_c)^2; targets +-1 (one output, predicted class sign f) or one-hot (one output per class, predicted class argmax f); uncentered outputs; bias = loss of the ensemble-mean predictor (finite-E corrected), variance = mean across-member variance of f; standard errors by jackknife over members; fits a + b/N weighted by 1/SE^2 at the last step; probeNtk (when requested): the exact NTK K = gamma0^2 N grad f . grad f' on the first ntkProbe test images (rows q C + c), its ensemble mean and N times its across-member variance",
            result,
        },
        Options);
}
