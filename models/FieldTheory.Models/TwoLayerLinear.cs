namespace FieldTheory.Models;

/// <summary>Two-layer linear network, phi(h) = h.</summary>
[Network(HiddenLayers = 1)]
public static partial class TwoLayerLinear
{
    [Activation] static double Phi(double h) => h;
}
