namespace FieldTheory.Models;

/// <summary>Three hidden linear layers (L = 3): the deep linear network of DESIGN.md 3.3.</summary>
[Network(HiddenLayers = 3)]
public static partial class DeepLinear
{
    [Activation] static double Phi(double h) => h;
}
