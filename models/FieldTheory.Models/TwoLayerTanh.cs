namespace FieldTheory.Models;

/// <summary>Two-layer network (one hidden layer) with phi = tanh: the smooth reference model of the paper.</summary>
[Network(HiddenLayers = 1)]
public static partial class TwoLayerTanh
{
    [Activation] static double Phi(double h) => Math.Tanh(h);
}
