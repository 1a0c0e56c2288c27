namespace FieldTheory.Convolutions;

/// <summary>
/// Scratch memory of one worker for batches of up to <see cref="Capacity"/> images with C outputs. Peak doubles:
/// sum_l [C_l k_l^2 B S_{l+1}^2 (unfolded input) + 3 C_{l+1} B S_{l+1}^2 (h, phi(h), backward field)]
/// + C_0 B S_0^2 + max_l C_l k_l^2 B S_{l+1}^2 (unfolded gradient) + max_l C_{l+1} C_l k_l^2 (weight gradient)
/// + B (N + C) + Q C (parameters + 1) (the probe Jacobian and its unit error signal, only with a probe of Q images),
/// with B = <see cref="Capacity"/>; see <see cref="Doubles"/>.
/// </summary>
internal sealed class CnnWorkspace
{
    public CnnWorkspace(CnnArchitecture architecture, int capacity, int outputs, int probe)
    {
        Capacity = capacity;
        MapShape[] shapes = architecture.Shapes();
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        int depth = convs.Count;
        Input = new double[shapes[0].Values * capacity];
        Columns = new double[depth][];
        Pre = new double[depth][];
        Post = new double[depth][];
        Backward = new double[depth][];
        long maxColumns = 0, maxGradient = 0;
        for (int l = 0; l < depth; l++)
        {
            long columns = (long)CnnParameters.FanIn(shapes[l], convs[l]) * capacity * shapes[l + 1].Positions;
            Columns[l] = new double[columns];
            Pre[l] = new double[shapes[l + 1].Values * capacity];
            Post[l] = new double[shapes[l + 1].Values * capacity];
            Backward[l] = new double[shapes[l + 1].Values * capacity];
            maxColumns = Math.Max(maxColumns, columns);
            maxGradient = Math.Max(maxGradient, (long)convs[l].Channels * CnnParameters.FanIn(shapes[l], convs[l]));
        }

        ColumnGradient = new double[maxColumns];
        WeightGradient = new double[maxGradient];
        Pooled = new double[capacity * architecture.Width];
        Outputs = new double[capacity * outputs];
        Jacobian = new double[probe * outputs * CnnParameters.CountOf(architecture, outputs)];
        UnitSignal = new double[probe * outputs];
    }

    public int Capacity { get; }

    /// <summary>The batch's images, C_0 x B x S_0 x S_0.</summary>
    public double[] Input { get; }

    /// <summary>Unfolded input of layer l.</summary>
    public double[][] Columns { get; }

    /// <summary>h^{l+1}, C_{l+1} x B x S x S.</summary>
    public double[][] Pre { get; }

    /// <summary>phi(h^{l+1}).</summary>
    public double[][] Post { get; }

    /// <summary>Backward field e^{l+1} = -dL/dh^{l+1}.</summary>
    public double[][] Backward { get; }

    public double[] ColumnGradient { get; }

    public double[] WeightGradient { get; }

    /// <summary>GAP(phi(h^L)), B x C_L.</summary>
    public double[] Pooled { get; }

    /// <summary>f, B x C.</summary>
    public double[] Outputs { get; }

    /// <summary>df_c(x_q)/dtheta of the probe images, (Q C) x parameters (empty without a probe).</summary>
    public double[] Jacobian { get; }

    /// <summary>The unit error signal on one output of the probe images, Q x C.</summary>
    public double[] UnitSignal { get; }

    /// <summary>The peak number of doubles of a workspace (the formula in the type's summary).</summary>
    public static long Doubles(CnnArchitecture architecture, int capacity, int outputs, int probe)
    {
        MapShape[] shapes = architecture.Shapes();
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        long total = (long)shapes[0].Values * capacity, maxColumns = 0, maxGradient = 0;
        for (int l = 0; l < convs.Count; l++)
        {
            long columns = (long)CnnParameters.FanIn(shapes[l], convs[l]) * capacity * shapes[l + 1].Positions;
            total += columns + (3L * shapes[l + 1].Values * capacity);
            maxColumns = Math.Max(maxColumns, columns);
            maxGradient = Math.Max(maxGradient, (long)convs[l].Channels * CnnParameters.FanIn(shapes[l], convs[l]));
        }

        long probeDoubles = (long)probe * outputs * (CnnParameters.CountOf(architecture, outputs) + 1);
        return total + maxColumns + maxGradient + ((long)capacity * (architecture.Width + outputs)) + probeDoubles;
    }
}
