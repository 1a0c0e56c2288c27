namespace FieldTheory.Models;

/// <summary>Two-layer network with the exact GELU, phi(h) = h Phi(h) = h (1 + erf(h / sqrt 2)) / 2.</summary>
[Network(HiddenLayers = 1)]
public static partial class Gelu
{
    const double InverseSqrt2 = 0.70710678118654752440;

    [Activation] static double Phi(double h) => 0.5 * h * (1.0 + SpecialFunctions.Erf(h * InverseSqrt2));
}
