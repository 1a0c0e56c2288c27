namespace FieldTheory;

/// <summary>
/// Declares a mean-field (muP) convolutional network on square images: the layers are the
/// <see cref="ConvolutionAttribute"/> and <see cref="GlobalAveragePoolAttribute"/> attributes on the same type, in source
/// order, followed by a linear readout; the nonlinearity is the type's <see cref="ActivationAttribute"/> method. The
/// source generator checks the shapes at compile time and emits the architecture (<c>Architecture</c>), the activation
/// struct and a <c>Model</c> (docs/cnn.md). The type must be a non-generic, top-level <c>partial</c> class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConvolutionalNetworkAttribute : Attribute
{
    /// <summary>Channels of the input images (1 for Fashion-MNIST, 3 for CIFAR-10).</summary>
    public int InputChannels { get; set; } = 1;

    /// <summary>Height and width of the square input images in pixels (28 for Fashion-MNIST, 32 for CIFAR-10).</summary>
    public int InputSize { get; set; } = 28;
}

/// <summary>
/// A convolution layer of a <see cref="ConvolutionalNetworkAttribute"/> network: <see cref="Channels"/> output channels,
/// a square kernel, stride and zero padding. Its pre-activation is the convolution of the previous layer's activations
/// (or the input) divided by sqrt(C_in k^2) (docs/cnn.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvolutionAttribute : Attribute
{
    /// <summary>Output channels; the width N of the layer (an ensemble may rescale it).</summary>
    public int Channels { get; set; } = 16;

    /// <summary>Side of the square kernel.</summary>
    public int Kernel { get; set; } = 3;

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding added on every side of the input.</summary>
    public int Padding { get; set; }
}

/// <summary>Global average pooling over the spatial positions of the last convolution layer, before the readout.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GlobalAveragePoolAttribute : Attribute
{
}
