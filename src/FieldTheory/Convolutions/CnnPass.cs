namespace FieldTheory.Convolutions;

/// <summary>
/// Forward and backward passes of one member on one batch, with the activation inlined as a type argument.
/// Mean-field (muP) convolutional network (docs/cnn.md; DESIGN.md section 2 with width N = channels):
/// <code>
///   h^1 = W^0 * x / sqrt(C_0 k_0^2),   h^{l+1} = W^l * phi(h^l) / sqrt(C_l k_l^2),   f = w . GAP(phi(h^L)) / (gamma0 N)
///   L = 1/2 sum_mu (y_mu - f_mu)^2,    theta &lt;- theta - eta gamma0^2 N grad_theta L
/// </code>
/// (* is the convolution with stride and zero padding). With Delta = y - f and e^l = -dL/dh^l this gives
/// <code>
///   e^L = phi'(h^L) o Delta w / (gamma0 N S_L^2),   e^l = phi'(h^l) o (W^l^T *' e^{l+1}) / sqrt(C_l k_l^2)
///   W^l += eta gamma0^2 N (e^{l+1} *' phi(h^l)) / sqrt(C_l k_l^2),   w += eta gamma0 sum_mu Delta_mu GAP(phi(h^L_mu))
/// </code>
/// so a hidden weight entry moves by O(eta gamma0 / sqrt(C k^2)) = O(1/sqrt N) per step, as W^l does in the MLP.
/// </summary>
internal static class CnnPass<TActivation>
    where TActivation : struct, IActivation
{
    /// <summary>f for the <paramref name="batch"/> images in <see cref="CnnWorkspace.Input"/>, into <see cref="CnnWorkspace.Outputs"/>.</summary>
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
        int n = last.Channels, positions = last.Positions;
        double[] top = ws.Post[^1];
        for (int b = 0; b < batch; b++)
        {
            double f = 0.0;
            for (int c = 0; c < n; c++)
            {
                int start = ((c * batch) + b) * positions;
                double sum = 0.0;
                for (int p = 0; p < positions; p++)
                {
                    sum += top[start + p];
                }

                double pooled = sum / positions;
                ws.Pooled[(b * n) + c] = pooled;
                f += parameters.Readout[c] * pooled;
            }

            ws.Outputs[b] = f / (gamma0 * n);
        }
    }

    /// <summary>
    /// One gradient step on the batch after <see cref="Forward"/>: <paramref name="delta"/>[b] is the error signal
    /// (y_b - f_b) times the batch's weight in the objective (1 for full-batch gradient descent, P/B for a minibatch).
    /// </summary>
    public static void Backward(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, int batch, ReadOnlySpan<double> delta, double gamma0, double eta, bool useBlas)
    {
        IReadOnlyList<ConvolutionLayer> convs = architecture.Convolutions;
        int depth = convs.Count;
        MapShape last = shapes[^1];
        int n = last.Channels, positions = last.Positions;
        double topScale = 1.0 / (gamma0 * n * positions);
        double[] e = ws.Backward[depth - 1], pre = ws.Pre[depth - 1];
        for (int c = 0; c < n; c++)
        {
            double wc = parameters.Readout[c] * topScale;
            for (int b = 0; b < batch; b++)
            {
                int start = ((c * batch) + b) * positions;
                double factor = delta[b] * wc;
                for (int p = 0; p < positions; p++)
                {
                    e[start + p] = default(TActivation).Derivative(pre[start + p]) * factor;
                }
            }
        }

        double readoutStep = eta * gamma0;
        for (int c = 0; c < n; c++)
        {
            double sum = 0.0;
            for (int b = 0; b < batch; b++)
            {
                sum += delta[b] * ws.Pooled[(b * n) + c];
            }

            parameters.Readout[c] += readoutStep * sum;
        }

        double rate = eta * gamma0 * gamma0 * n;
        for (int l = depth - 1; l >= 0; l--)
        {
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            int fanIn = CnnParameters.FanIn(inShape, convs[l]);
            int columns = batch * outShape.Positions;
            double scale = 1.0 / Math.Sqrt(fanIn);
            double[] eNext = ws.Backward[l];
            if (l > 0)
            {
                CnnGemm.Run(useBlas, true, false, fanIn, columns, outShape.Channels, scale, parameters.Weights[l], eNext, 0.0, ws.ColumnGradient);
                double[] below = ws.Backward[l - 1], preBelow = ws.Pre[l - 1];
                Im2Col.Fold(ws.ColumnGradient, inShape.Channels, batch, inShape.Size, convs[l], outShape.Size, below);
                int count = inShape.Values * batch;
                for (int i = 0; i < count; i++)
                {
                    below[i] *= default(TActivation).Derivative(preBelow[i]);
                }
            }

            CnnGemm.Run(useBlas, false, true, outShape.Channels, fanIn, columns, 1.0, eNext, ws.Columns[l], 0.0, ws.WeightGradient);
            double[] weights = parameters.Weights[l];
            double step = rate * scale;
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
