namespace FieldTheory.Models;

/// <summary>Three hidden tanh layers (L = 3).</summary>
[Network(HiddenLayers = 3)]
public static partial class DeepTanh
{
    [Activation] static double Phi(double h) => Math.Tanh(h);
}
