namespace FieldTheory.Models;

/// <summary>Two-layer network with a cubic polynomial nonlinearity (Gaussian expectations by Isserlis' theorem).</summary>
[Network(HiddenLayers = 1)]
public static partial class Cubic
{
    const double Alpha = 0.1;

    [Activation] static double Phi(double h) => h + Alpha * Math.Pow(h, 3);
}
