using FieldTheory.Randomness;

namespace FieldTheory.Convolutions;

/// <summary>
/// The weights of one member: W^l (C_{l+1} x C_l k^2, row-major, column (c k + ky) k + kx) for l = 0..L-1 and the
/// readout w (C outputs x N, row-major). All entries N(0, 1) at initialisation; entry j of layer l of member m is
/// <c>Normal(StreamId.Of(m, l, WeightPurpose), j)</c> (the readout is layer L, entry j = c N + i), so results do not
/// depend on threads and the first output's readout is the same for any number of outputs.
/// </summary>
internal sealed class CnnParameters
{
    /// <summary>Purpose tag of convolution weight streams (the MLP ensembles use 16).</summary>
    public const int WeightPurpose = 17;

    public CnnParameters(CnnArchitecture architecture, int outputs)
    {
        MapShape[] shapes = architecture.Shapes();
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        Weights = new double[convs.Count][];
        for (int l = 0; l < convs.Count; l++)
        {
            Weights[l] = new double[convs[l].Channels * FanIn(shapes[l], convs[l])];
        }

        Outputs = outputs;
        Readout = new double[outputs * architecture.Width];
    }

    public double[][] Weights { get; }

    /// <summary>w, C x N: output c's readout is entries c N .. c N + N - 1.</summary>
    public double[] Readout { get; }

    /// <summary>C, the number of outputs.</summary>
    public int Outputs { get; }

    /// <summary>Number of trained parameters: the convolution weights and the readout.</summary>
    public int Count => Weights.Sum(w => w.Length) + Readout.Length;

    /// <summary>C_in k^2, the fan-in of one output of a convolution.</summary>
    public static int FanIn(MapShape input, ConvolutionLayer conv) => input.Channels * conv.Kernel * conv.Kernel;

    /// <summary>Parameters of a member of <paramref name="architecture"/> with <paramref name="outputs"/> outputs.</summary>
    public static long CountOf(CnnArchitecture architecture, int outputs)
    {
        MapShape[] shapes = architecture.Shapes();
        return ((long)outputs * architecture.Width) + architecture.Convolutions.Select((c, l) => (long)c.Channels * FanIn(shapes[l], c)).Sum();
    }

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
