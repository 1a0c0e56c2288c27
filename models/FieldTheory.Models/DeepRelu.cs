namespace FieldTheory.Models;

/// <summary>Three hidden ReLU layers (L = 3).</summary>
[Network(HiddenLayers = 3)]
public static partial class DeepRelu
{
    [Activation] static double Phi(double h) => Math.Max(0.0, h);
}
