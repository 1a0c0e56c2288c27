namespace FieldTheory.Models;

/// <summary>
/// Two stride-2 ReLU convolutions on 28 x 28 grey images (Fashion-MNIST): 1x28x28 -> 16x14x14 -> 16x7x7 -> global
/// average pool -> readout. The ensembles rescale the 16 channels to the width N.
/// </summary>
[ConvolutionalNetwork(InputChannels = 1, InputSize = 28)]
[Convolution(Channels = 16, Kernel = 3, Stride = 2, Padding = 1)]
[Convolution(Channels = 16, Kernel = 3, Stride = 2, Padding = 1)]
[GlobalAveragePool]
public static partial class FashionCnn
{
    [Activation]
    private static double Phi(double h) => Math.Max(0.0, h);
}
