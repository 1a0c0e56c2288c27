namespace FieldTheory.Convolutions;

/// <summary>A stack of square feature maps: channels x size x size.</summary>
/// <param name="Channels">Number of channels.</param>
/// <param name="Size">Height and width in pixels.</param>
public readonly record struct MapShape(int Channels, int Size)
{
    /// <summary>Values per image: channels x size^2.</summary>
    public int Values => Channels * Size * Size;

    /// <summary>Spatial positions: size^2.</summary>
    public int Positions => Size * Size;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Size}x{Size}";
}

/// <summary>One layer of a <see cref="CnnArchitecture"/>.</summary>
public abstract record CnnLayer;

/// <summary>A square convolution with zero padding (see <see cref="ConvolutionAttribute"/>).</summary>
/// <param name="Channels">Output channels.</param>
/// <param name="Kernel">Kernel side k.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on every side.</param>
public sealed record ConvolutionLayer(int Channels, int Kernel, int Stride, int Padding) : CnnLayer
{
    /// <summary>Output size for an input of side <paramref name="inputSize"/>: floor((S + 2p - k) / s) + 1.</summary>
    public int OutputSize(int inputSize) => ((inputSize + (2 * Padding) - Kernel) / Stride) + 1;

    /// <inheritdoc />
    public override string ToString() => $"conv {Channels} k{Kernel} s{Stride} p{Padding}";
}

/// <summary>Global average pooling over positions, followed by the readout.</summary>
public sealed record GlobalAveragePoolLayer : CnnLayer
{
    /// <inheritdoc />
    public override string ToString() => "global average pool";
}

/// <summary>
/// A convolutional network as declared with <see cref="ConvolutionalNetworkAttribute"/>: input shape, convolution layers
/// and global average pooling in order, then the readout f = w . GAP(phi(h^L)) / (gamma0 N) (docs/cnn.md). The
/// generator checks the shapes at compile time; <see cref="Validate"/> checks architectures built at run time.
/// </summary>
/// <param name="Name">Model name.</param>
/// <param name="Input">Input channels and size.</param>
/// <param name="Layers">Convolutions, then one global average pool.</param>
public sealed record CnnArchitecture(string Name, MapShape Input, IReadOnlyList<CnnLayer> Layers)
{
    /// <summary>The convolution layers in order.</summary>
    public IReadOnlyList<ConvolutionLayer> Convolutions => Layers.OfType<ConvolutionLayer>().ToArray();

    /// <summary>Number of convolution layers L (hidden layers in DESIGN.md's terms).</summary>
    public int Depth => Convolutions.Count;

    /// <summary>N: the channels of the last convolution, which the readout averages over.</summary>
    public int Width => Convolutions[^1].Channels;

    /// <summary>Shapes of the input (index 0) and of every convolution's output (index l = 1..L).</summary>
    public MapShape[] Shapes()
    {
        var shapes = new MapShape[Depth + 1];
        shapes[0] = Input;
        for (int l = 0; l < Depth; l++)
        {
            ConvolutionLayer conv = Convolutions[l];
            shapes[l + 1] = new MapShape(conv.Channels, conv.OutputSize(shapes[l].Size));
        }

        return shapes;
    }

    /// <summary>
    /// The same architecture at width N: every convolution's channels scale by N / C_L (rounded, at least 1), so a
    /// network declared with equal channels has N channels in every layer, as the mean-field limit requires.
    /// </summary>
    public CnnArchitecture WithWidth(int width)
    {
        if (width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be at least 1.");
        }

        int declared = Width;
        CnnLayer[] layers = Layers
            .Select(layer => layer is ConvolutionLayer c
                ? c with { Channels = Math.Max(1, (int)Math.Round((double)c.Channels * width / declared)) }
                : layer)
            .ToArray();
        return this with { Layers = layers };
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the shapes are impossible (the generator's checks).</summary>
    public CnnArchitecture Validate()
    {
        if (Input.Channels < 1 || Input.Size < 1)
        {
            throw new ArgumentException($"{Name}: the input shape {Input} must have at least one channel and one pixel.");
        }

        if (Depth == 0 || Layers[^1] is not GlobalAveragePoolLayer || Layers.Count != Depth + 1)
        {
            throw new ArgumentException($"{Name}: the layers must be one or more convolutions followed by one global average pool; found [{string.Join(", ", Layers)}].");
        }

        int size = Input.Size;
        foreach (ConvolutionLayer conv in Convolutions)
        {
            if (conv.Channels < 1 || conv.Kernel < 1 || conv.Stride < 1 || conv.Padding < 0)
            {
                throw new ArgumentException($"{Name}: '{conv}' needs channels, kernel and stride of at least 1 and padding of at least 0.");
            }

            if (conv.Kernel > size + (2 * conv.Padding))
            {
                throw new ArgumentException($"{Name}: '{conv}' has a kernel of {conv.Kernel} but its padded input is only {size + (2 * conv.Padding)} pixels wide.");
            }

            size = conv.OutputSize(size);
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {Input} -> " + string.Join(" -> ", Layers) + " -> readout";
}

/// <summary>
/// A declared convolutional network: its architecture and the generated activation, which solvers reach as a type
/// argument through <see cref="NetworkModel.Accept{TResult}"/> of <see cref="Activation"/>.
/// </summary>
/// <param name="Architecture">Layers and shapes.</param>
/// <param name="Activation">The nonlinearity as a compiled model (its <c>HiddenLayers</c> is the number of convolutions).</param>
public sealed record ConvolutionalModel(CnnArchitecture Architecture, NetworkModel Activation)
{
    /// <summary>Catalogue name.</summary>
    public string Name => Architecture.Name;

    /// <inheritdoc />
    public override string ToString() => $"{Architecture}, phi(h) = {Activation.Info.Activation.Phi}";
}
