namespace FieldTheory.Models;

/// <summary>
/// Three ReLU convolutions on 32 x 32 colour images (CIFAR-10): 3x32x32 -> 32x32x32 -> 32x16x16 -> 32x8x8 -> global
/// average pool -> readout. The ensembles rescale the 32 channels to the width N.
/// </summary>
[ConvolutionalNetwork(InputChannels = 3, InputSize = 32)]
[Convolution(Channels = 32, Kernel = 3, Stride = 1, Padding = 1)]
[Convolution(Channels = 32, Kernel = 3, Stride = 2, Padding = 1)]
[Convolution(Channels = 32, Kernel = 3, Stride = 2, Padding = 1)]
[GlobalAveragePool]
public static partial class CifarCnn
{
    [Activation]
    private static double Phi(double h) => Math.Max(0.0, h);
}
