namespace FieldTheory.Models;

/// <summary>Two-layer ReLU network: piecewise linear, kink at 0 (arc-cosine kernels in closed form).</summary>
[Network(HiddenLayers = 1)]
public static partial class TwoLayerRelu
{
    [Activation] static double Phi(double h) => Math.Max(0.0, h);
}
