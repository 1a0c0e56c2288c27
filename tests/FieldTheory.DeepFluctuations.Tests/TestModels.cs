using FieldTheory.Compilation;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>Two-hidden-layer models compiled at run time from [Network(HiddenLayers = 2)] declarations.</summary>
internal static class TestModels
{
    private static readonly Lazy<NetworkModel> LinearModel = new(() => Compile("Linear2", "h"));
    private static readonly Lazy<NetworkModel> TanhModel = new(() => Compile("Tanh2", "Math.Tanh(h)"));

    /// <summary>phi(h) = h.</summary>
    public static NetworkModel Linear => LinearModel.Value;

    /// <summary>phi(h) = tanh(h).</summary>
    public static NetworkModel Tanh => TanhModel.Value;

    private static NetworkModel Compile(string name, string body) => ModelCompiler.CompileSource(
        $$"""
        using FieldTheory;

        [Network(HiddenLayers = 2)]
        public static partial class {{name}}
        {
            [Activation] static double Phi(double h) => {{body}};
        }
        """,
        $"{name}.cs")[0];
}
