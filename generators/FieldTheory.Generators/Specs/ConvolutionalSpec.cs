namespace FieldTheory.Generators.Specs
{
    /// <summary>One layer attribute of a [ConvolutionalNetwork], as declared (pooling layers carry zeros).</summary>
    internal sealed record LayerSpec(bool IsPooling, int Channels, int Kernel, int Stride, int Padding);

    /// <summary>The architecture of a [ConvolutionalNetwork] declaration: input and layers in source order.</summary>
    internal sealed record ConvolutionalSpec(int InputChannels, int InputSize, EquatableArray<LayerSpec> Layers);

    /// <summary>
    /// A parsed [ConvolutionalNetwork] declaration: the activation part (the same spec as a [Network], whose
    /// HiddenLayers is the number of convolutions) and the architecture; both null when an error was found.
    /// </summary>
    internal sealed record ConvolutionalParseResult(NetworkSpec? Network, ConvolutionalSpec? Architecture, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>A declaration after the symbolic passes.</summary>
    internal sealed record CompiledConvolutionalNetwork(CompiledNetwork Network, ConvolutionalSpec Architecture);
}
