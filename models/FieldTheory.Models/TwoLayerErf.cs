namespace FieldTheory.Models;

/// <summary>Two-layer network with phi = erf (arcsine kernel in closed form).</summary>
[Network(HiddenLayers = 1)]
public static partial class TwoLayerErf
{
    [Activation] static double Phi(double h) => SpecialFunctions.Erf(h);
}
