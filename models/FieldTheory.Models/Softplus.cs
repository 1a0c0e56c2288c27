namespace FieldTheory.Models;

/// <summary>
/// Two-layer softplus network, phi(h) = log(1 + e^h), written in its overflow-free two-branch form; the compiler
/// checks that the branches join smoothly and classifies it as smooth.
/// </summary>
[Network(HiddenLayers = 1)]
public static partial class Softplus
{
    [Activation] static double Phi(double h) => h > 0 ? h + Math.Log(1 + Math.Exp(-h)) : Math.Log(1 + Math.Exp(h));
}
