namespace FieldTheory.Models;

/// <summary>Two-layer leaky ReLU network, slope 0.1 below the kink at 0.</summary>
[Network(HiddenLayers = 1)]
public static partial class LeakyRelu
{
    const double NegativeSlope = 0.1;

    [Activation] static double Phi(double h) => h > 0 ? h : NegativeSlope * h;
}
