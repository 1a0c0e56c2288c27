using FieldTheory;

namespace MyModels;

/// <summary>A two-hidden-layer network with the swish nonlinearity phi(h) = h sigmoid(beta h).</summary>
[Network(HiddenLayers = 2)]
public static partial class Swish
{
    const double Beta = 1.0;

    [Activation] static double Phi(double h) => h / (1.0 + Math.Exp(-Beta * h));
}
