namespace FieldTheory.Convolutions;

/// <summary>
/// Forward and backward passes of one member on one batch, with the activation inlined as a type argument.
/// Mean-field (muP) convolutional network with C outputs (docs/cnn.md; DESIGN.md section 2 with width N = channels):
/// <code>
///   h^1 = W^0 * x / sqrt(C_0 k_0^2),   h^{l+1} = W^l * phi(h^l) / sqrt(C_l k_l^2),   f_c = w_c . GAP(phi(h^L)) / (gamma0 N)
///   L = 1/2 sum_mu sum_c (y_mu,c - f_mu,c)^2,    theta &lt;- theta - eta gamma0^2 N grad_theta L
/// </code>
/// (* is the convolution with stride and zero padding). With Delta = y - f and e^l = -dL/dh^l this gives
/// <code>
///   e^L = phi'(h^L) o (sum_c Delta_c w_c) / (gamma0 N S_L^2),   e^l = phi'(h^l) o (W^l^T *' e^{l+1}) / sqrt(C_l k_l^2)
///   W^l += eta gamma0^2 N (e^{l+1} *' phi(h^l)) / sqrt(C_l k_l^2),   w_c += eta gamma0 sum_mu Delta_mu,c GAP(phi(h^L_mu))
/// </code>
/// so a hidden weight entry moves by O(eta gamma0 / sqrt(C k^2)) = O(1/sqrt N) per step, as W^l does in the MLP.
/// </summary>
internal static class CnnPass<TActivation>
    where TActivation : struct, IActivation
{
    /// <summary>f for the <paramref name="batch"/> images in <see cref="CnnWorkspace.Input"/>, into <see cref="CnnWorkspace.Outputs"/> (B x C).</summary>
    public static void Forward(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, int batch, double gamma0, bool useBlas)
    {
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        double[] input = ws.Input;
        for (int l = 0; l < convs.Count; l++)
        {
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            int fanIn = CnnParameters.FanIn(inShape, convs[l]);
            int columns = batch * outShape.Positions;
            Im2Col.Unfold(input, inShape.Channels, batch, inShape.Size, convs[l], outShape.Size, ws.Columns[l]);
            CnnGemm.Run(useBlas, false, false, outShape.Channels, columns, fanIn, 1.0 / Math.Sqrt(fanIn), parameters.Weights[l], ws.Columns[l], 0.0, ws.Pre[l]);
            double[] pre = ws.Pre[l], post = ws.Post[l];
            int count = outShape.Channels * columns;
            for (int i = 0; i < count; i++)
            {
                post[i] = default(TActivation).Value(pre[i]);
            }

            input = post;
        }

        MapShape last = shapes[^1];
        int n = last.Channels, positions = last.Positions, outputs = parameters.Outputs;
        double[] top = ws.Post[^1];
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < n; c++)
            {
                int start = ((c * batch) + b) * positions;
                double sum = 0.0;
                for (int p = 0; p < positions; p++)
                {
                    sum += top[start + p];
                }

                ws.Pooled[(b * n) + c] = sum / positions;
            }

            for (int o = 0; o < outputs; o++)
            {
                double f = 0.0;
                for (int c = 0; c < n; c++)
                {
                    f += parameters.Readout[(o * n) + c] * ws.Pooled[(b * n) + c];
                }

                ws.Outputs[(b * outputs) + o] = f / (gamma0 * n);
            }
        }
    }

    /// <summary>
    /// One gradient step on the batch after <see cref="Forward"/>: <paramref name="delta"/>[b C + c] is the error signal
    /// (y_b,c - f_b,c) times the batch's weight in the objective (1 for full-batch gradient descent, P/B for a minibatch).
    /// </summary>
    public static void Backward(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, int batch, ReadOnlySpan<double> delta, double gamma0, double eta, bool useBlas)
    {
        Fields(architecture, shapes, parameters, ws, batch, delta, gamma0, useBlas);
        Update(architecture, shapes, parameters, ws, batch, delta, gamma0, eta, useBlas);
    }

    /// <summary>
    /// The backward fields e^l = -dL/dh^l of every layer into <see cref="CnnWorkspace.Backward"/>, after
    /// <see cref="Forward"/>, for the error signal <paramref name="delta"/> (B x C); with a unit signal on one output
    /// they are df_c/dh^l, the layer factors of the NTK.
    /// </summary>
    public static void Fields(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, int batch, ReadOnlySpan<double> delta, double gamma0, bool useBlas)
    {
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        int depth = convs.Count;
        MapShape last = shapes[^1];
        int n = last.Channels, positions = last.Positions, outputs = parameters.Outputs;
        double topScale = 1.0 / (gamma0 * n * positions);
        double[] e = ws.Backward[depth - 1], pre = ws.Pre[depth - 1];
        for (int c = 0; c < n; c++)
        {
            for (int b = 0; b < batch; b++)
            {
                double signal = 0.0;
                for (int o = 0; o < outputs; o++)
                {
                    signal += delta[(b * outputs) + o] * parameters.Readout[(o * n) + c];
                }

                int start = ((c * batch) + b) * positions;
                double factor = signal * topScale;
                for (int p = 0; p < positions; p++)
                {
                    e[start + p] = default(TActivation).Derivative(pre[start + p]) * factor;
                }
            }
        }

        for (int l = depth - 1; l > 0; l--)
        {
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            int fanIn = CnnParameters.FanIn(inShape, convs[l]);
            int columns = batch * outShape.Positions;
            CnnGemm.Run(useBlas, true, false, fanIn, columns, outShape.Channels, 1.0 / Math.Sqrt(fanIn), parameters.Weights[l], ws.Backward[l], 0.0, ws.ColumnGradient);
            double[] below = ws.Backward[l - 1], preBelow = ws.Pre[l - 1];
            Im2Col.Fold(ws.ColumnGradient, inShape.Channels, batch, inShape.Size, convs[l], outShape.Size, below);
            int count = inShape.Values * batch;
            for (int i = 0; i < count; i++)
            {
                below[i] *= default(TActivation).Derivative(preBelow[i]);
            }
        }
    }

    /// <summary>The weight update of one step from the fields of <see cref="Fields"/> and the same <paramref name="delta"/>.</summary>
    public static void Update(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, int batch, ReadOnlySpan<double> delta, double gamma0, double eta, bool useBlas)
    {
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        int n = shapes[^1].Channels, outputs = parameters.Outputs;
        double readoutStep = eta * gamma0;
        for (int o = 0; o < outputs; o++)
        {
            for (int c = 0; c < n; c++)
            {
                double sum = 0.0;
                for (int b = 0; b < batch; b++)
                {
                    sum += delta[(b * outputs) + o] * ws.Pooled[(b * n) + c];
                }

                parameters.Readout[(o * n) + c] += readoutStep * sum;
            }
        }

        double rate = eta * gamma0 * gamma0 * n;
        for (int l = convs.Count - 1; l >= 0; l--)
        {
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            int fanIn = CnnParameters.FanIn(inShape, convs[l]);
            int columns = batch * outShape.Positions;
            CnnGemm.Run(useBlas, false, true, outShape.Channels, fanIn, columns, 1.0, ws.Backward[l], ws.Columns[l], 0.0, ws.WeightGradient);
            double[] weights = parameters.Weights[l];
            double step = rate * (1.0 / Math.Sqrt(fanIn));
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] += step * ws.WeightGradient[i];
            }
        }
    }

    /// <summary>Copies images <paramref name="indices"/> (rows of <paramref name="x"/>, C x S x S each) into the workspace's C x B x S x S input.</summary>
    public static void LoadBatch(double[] x, MapShape shape, ReadOnlySpan<int> indices, CnnWorkspace ws)
    {
        int positions = shape.Positions, batch = indices.Length;
        for (int b = 0; b < batch; b++)
        {
            int source = indices[b] * shape.Values;
            for (int c = 0; c < shape.Channels; c++)
            {
                Array.Copy(x, source + (c * positions), ws.Input, ((c * batch) + b) * positions, positions);
            }
        }
    }
}
