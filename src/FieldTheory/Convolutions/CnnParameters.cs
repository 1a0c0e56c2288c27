using FieldTheory.Randomness;

namespace FieldTheory.Convolutions;

/// <summary>
/// The weights of one member: W^l (C_{l+1} x C_l k^2, row-major, column (c k + ky) k + kx) for l = 0..L-1 and the
/// readout w (C_L). All entries N(0, 1) at initialisation; entry j of layer l of member m is
/// <c>Normal(StreamId.Of(m, l, WeightPurpose), j)</c> (the readout is layer L), so results do not depend on threads.
/// </summary>
internal sealed class CnnParameters
{
    /// <summary>Purpose tag of convolution weight streams (the MLP ensembles use 16).</summary>
    public const int WeightPurpose = 17;

    public CnnParameters(CnnArchitecture architecture)
    {
        MapShape[] shapes = architecture.Shapes();
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        Weights = new double[convs.Count][];
        for (int l = 0; l < convs.Count; l++)
        {
            Weights[l] = new double[convs[l].Channels * FanIn(shapes[l], convs[l])];
        }

        Readout = new double[architecture.Width];
    }

    public double[][] Weights { get; }

    public double[] Readout { get; }

    /// <summary>C_in k^2, the fan-in of one output of a convolution.</summary>
    public static int FanIn(MapShape input, ConvolutionLayer conv) => input.Channels * conv.Kernel * conv.Kernel;

    public void Initialize(ulong seed, int member)
    {
        var rng = new RandomStream(seed);
        for (int l = 0; l <= Weights.Length; l++)
        {
            double[] target = l < Weights.Length ? Weights[l] : Readout;
            ulong stream = StreamId.Of(member, l, WeightPurpose);
            for (int j = 0; j < target.Length; j++)
            {
                target[j] = rng.Normal(stream, (ulong)j);
            }
        }
    }
}
