using FieldTheory.Compilation;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>Models compiled at run time from [Network(HiddenLayers = L)] declarations.</summary>
internal static class TestModels
{
    private static readonly Lazy<NetworkModel> ShallowTanhModel = new(() => Compile("Tanh1", "Math.Tanh(h)", layers: 1));
    private static readonly Lazy<NetworkModel> LinearModel = new(() => Compile("Linear2", "h"));
    private static readonly Lazy<NetworkModel> TanhModel = new(() => Compile("Tanh2", "Math.Tanh(h)"));
    private static readonly Lazy<NetworkModel> DeepLinearModel = new(() => Compile("Linear3", "h", layers: 3));
    private static readonly Lazy<NetworkModel> Linear4Model = new(() => Compile("Linear4", "h", layers: 4));
    private static readonly Lazy<NetworkModel> DeepTanhModel = new(() => Compile("Tanh3", "Math.Tanh(h)", layers: 3));

    /// <summary>One hidden tanh layer.</summary>
    public static NetworkModel ShallowTanh => ShallowTanhModel.Value;

    /// <summary>phi(h) = h.</summary>
    public static NetworkModel Linear => LinearModel.Value;

    /// <summary>phi(h) = tanh(h).</summary>
    public static NetworkModel Tanh => TanhModel.Value;

    /// <summary>Three hidden layers, phi(h) = h.</summary>
    public static NetworkModel DeepLinear => DeepLinearModel.Value;

    /// <summary>Four hidden layers, phi(h) = h.</summary>
    public static NetworkModel Linear4 => Linear4Model.Value;

    /// <summary>Three hidden tanh layers.</summary>
    public static NetworkModel DeepTanh => DeepTanhModel.Value;

    private static NetworkModel Compile(string name, string body, int layers = 2) => ModelCompiler.CompileSource(
        $$"""
        using FieldTheory;

        [Network(HiddenLayers = {{layers}})]
        public static partial class {{name}}
        {
            [Activation] static double Phi(double h) => {{body}};
        }
        """,
        $"{name}.cs")[0];
}
