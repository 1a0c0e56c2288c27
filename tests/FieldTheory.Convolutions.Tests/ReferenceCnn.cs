using FieldTheory.Randomness;

namespace FieldTheory.Convolutions.Tests;

/// <summary>
/// A plain, obviously-correct convolutional network: one image at a time, direct convolution loops over
/// [channel, y, x] arrays, gradients accumulated per image and applied after the batch. Same equations as docs/cnn.md
/// (h^1 = W^0 * x / sqrt(C_0 k^2), h^{l+1} = W^l * phi(h^l) / sqrt(C_l k^2), f = w . GAP(phi(h^L)) / (gamma0 N),
/// theta -= eta gamma0^2 N grad of 1/2 sum (y - f)^2; C outputs f_c = w_c . GAP / (gamma0 N) with the loss summed over
/// them), written independently of the im2col engine, with explicit per-parameter gradients for the NTK.
/// </summary>
internal sealed class ReferenceCnn
{
    private readonly CnnArchitecture _arch;
    private readonly Func<double, double> _phi;
    private readonly Func<double, double> _dphi;
    private readonly double _gamma0;
    private readonly double[][,,,] _w; // [layer][out, in, ky, kx]
    private readonly double[] _readout; // [output c, channel i] row-major
    private readonly int _outputs;

    public ReferenceCnn(CnnArchitecture arch, Func<double, double> phi, Func<double, double> dphi, double gamma0, ulong seed, int member, int outputs = 1)
    {
        _outputs = outputs;
        _arch = arch;
        _phi = phi;
        _dphi = dphi;
        _gamma0 = gamma0;
        MapShape[] shapes = arch.Shapes();
        var rng = new RandomStream(seed);
        _w = new double[arch.Depth][,,,];
        for (int l = 0; l < arch.Depth; l++)
        {
            ConvolutionLayer c = arch.Convolutions[l];
            int cin = shapes[l].Channels, k = c.Kernel;
            _w[l] = new double[c.Channels, cin, k, k];
            for (int o = 0; o < c.Channels; o++)
            {
                for (int i = 0; i < cin; i++)
                {
                    for (int ky = 0; ky < k; ky++)
                    {
                        for (int kx = 0; kx < k; kx++)
                        {
                            ulong index = (ulong)((((((o * cin) + i) * k) + ky) * k) + kx);
                            _w[l][o, i, ky, kx] = rng.Normal(StreamId.Of(member, l, 17), index);
                        }
                    }
                }
            }
        }

        _readout = new double[outputs * arch.Width];
        for (int c = 0; c < _readout.Length; c++)
        {
            _readout[c] = rng.Normal(StreamId.Of(member, arch.Depth, 17), (ulong)c);
        }
    }

    public double Output(double[] image) => Forward(image).F[0];

    /// <summary>f_c for every output c.</summary>
    public double[] Outputs(double[] image) => Forward(image).F;

    /// <summary>
    /// df_c(image)/dtheta for every parameter, flattened in the engine's order: W^l[o, i, ky, kx] row-major for
    /// l = 0..L-1, then the readout w[c, i].
    /// </summary>
    public double[] Gradient(double[] image, int output)
    {
        var signal = new double[_outputs];
        signal[output] = 1.0;
        (double[][,,,] gradW, double[] gradReadout) = Backpropagate(image, signal);
        return [.. gradW.SelectMany(g => g.Cast<double>()), .. gradReadout];
    }

    /// <summary>One gradient step on <paramref name="indices"/> with error weight <paramref name="weight"/> (P/B for a minibatch); y is P x C.</summary>
    public void Step(double[] x, double[] y, int[] indices, double eta, double weight)
    {
        int depth = _arch.Depth;
        var gradW = new double[depth][,,,];
        for (int l = 0; l < depth; l++)
        {
            gradW[l] = new double[_w[l].GetLength(0), _w[l].GetLength(1), _w[l].GetLength(2), _w[l].GetLength(3)];
        }

        var gradReadout = new double[_readout.Length];
        int d = _arch.Input.Values;
        foreach (int mu in indices)
        {
            double[] image = x[(mu * d)..((mu + 1) * d)];
            double[] f = Outputs(image);
            double[] delta = Enumerable.Range(0, _outputs).Select(c => weight * (y[(mu * _outputs) + c] - f[c])).ToArray();

            // -grad of 1/2 sum_c (y_c - f_c)^2 is sum_c Delta_c grad f_c.
            (double[][,,,] w, double[] r) = Backpropagate(image, delta);
            for (int l = 0; l < depth; l++)
            {
                foreach ((int o, int i, int ky, int kx) in Indices(gradW[l]))
                {
                    gradW[l][o, i, ky, kx] += w[l][o, i, ky, kx];
                }
            }

            for (int j = 0; j < r.Length; j++)
            {
                gradReadout[j] += r[j];
            }
        }

        // theta += eta gamma0^2 N (-grad L).
        double rate = eta * _gamma0 * _gamma0 * _arch.Width;
        for (int j = 0; j < _readout.Length; j++)
        {
            _readout[j] += rate * gradReadout[j];
        }

        for (int l = 0; l < depth; l++)
        {
            foreach ((int o, int i, int ky, int kx) in Indices(_w[l]))
            {
                _w[l][o, i, ky, kx] += rate * gradW[l][o, i, ky, kx];
            }
        }
    }

    private static IEnumerable<(int, int, int, int)> Indices(double[,,,] a)
    {
        for (int o = 0; o < a.GetLength(0); o++)
        {
            for (int i = 0; i < a.GetLength(1); i++)
            {
                for (int ky = 0; ky < a.GetLength(2); ky++)
                {
                    for (int kx = 0; kx < a.GetLength(3); kx++)
                    {
                        yield return (o, i, ky, kx);
                    }
                }
            }
        }
    }

    /// <summary>The gradient of sum_c signal_c f_c(image) with respect to every weight, by the chain rule over the direct loops.</summary>
    private (double[][,,,] GradW, double[] GradReadout) Backpropagate(double[] image, double[] signal)
    {
        int depth = _arch.Depth;
        int n = _arch.Width;
        MapShape[] shapes = _arch.Shapes();
        (_, double[][,,] pre, double[][,,] act) = Forward(image);
        var gradW = new double[depth][,,,];
        for (int l = 0; l < depth; l++)
        {
            gradW[l] = new double[_w[l].GetLength(0), _w[l].GetLength(1), _w[l].GetLength(2), _w[l].GetLength(3)];
        }

        var gradReadout = new double[_readout.Length];

        // d/d(phi(h^L)) then e^L = d/dh^L.
        MapShape top = shapes[depth];
        var e = new double[top.Channels, top.Size, top.Size];
        for (int c = 0; c < n; c++)
        {
            double pooled = 0.0, back = 0.0;
            for (int o = 0; o < _outputs; o++)
            {
                back += signal[o] * _readout[(o * n) + c];
            }

            for (int i = 0; i < top.Size; i++)
            {
                for (int j = 0; j < top.Size; j++)
                {
                    pooled += act[depth][c, i, j];
                    e[c, i, j] = back / (_gamma0 * n * top.Positions) * _dphi(pre[depth][c, i, j]);
                }
            }

            for (int o = 0; o < _outputs; o++)
            {
                gradReadout[(o * n) + c] = signal[o] * pooled / top.Positions / (_gamma0 * n);
            }
        }

        for (int l = depth - 1; l >= 0; l--)
        {
            ConvolutionLayer conv = _arch.Convolutions[l];
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            double norm = Math.Sqrt(inShape.Channels * conv.Kernel * conv.Kernel);
            var below = new double[inShape.Channels, inShape.Size, inShape.Size];
            for (int o = 0; o < outShape.Channels; o++)
            {
                for (int oy = 0; oy < outShape.Size; oy++)
                {
                    for (int ox = 0; ox < outShape.Size; ox++)
                    {
                        for (int i = 0; i < inShape.Channels; i++)
                        {
                            for (int ky = 0; ky < conv.Kernel; ky++)
                            {
                                for (int kx = 0; kx < conv.Kernel; kx++)
                                {
                                    int iy = (oy * conv.Stride) - conv.Padding + ky, ix = (ox * conv.Stride) - conv.Padding + kx;
                                    if (iy < 0 || ix < 0 || iy >= inShape.Size || ix >= inShape.Size)
                                    {
                                        continue;
                                    }

                                    gradW[l][o, i, ky, kx] += e[o, oy, ox] * act[l][i, iy, ix] / norm;
                                    below[i, iy, ix] += _w[l][o, i, ky, kx] * e[o, oy, ox] / norm;
                                }
                            }
                        }
                    }
                }
            }

            if (l > 0)
            {
                for (int i = 0; i < inShape.Channels; i++)
                {
                    for (int iy = 0; iy < inShape.Size; iy++)
                    {
                        for (int ix = 0; ix < inShape.Size; ix++)
                        {
                            below[i, iy, ix] *= _dphi(pre[l][i, iy, ix]);
                        }
                    }
                }
            }

            e = below;
        }

        return (gradW, gradReadout);
    }

    private (double[] F, double[][,,] Pre, double[][,,] Act) Forward(double[] image)
    {
        MapShape[] shapes = _arch.Shapes();
        int depth = _arch.Depth;
        var pre = new double[depth + 1][,,];
        var act = new double[depth + 1][,,];
        act[0] = new double[shapes[0].Channels, shapes[0].Size, shapes[0].Size];
        for (int c = 0; c < shapes[0].Channels; c++)
        {
            for (int i = 0; i < shapes[0].Size; i++)
            {
                for (int j = 0; j < shapes[0].Size; j++)
                {
                    act[0][c, i, j] = image[(((c * shapes[0].Size) + i) * shapes[0].Size) + j];
                }
            }
        }

        for (int l = 0; l < depth; l++)
        {
            ConvolutionLayer conv = _arch.Convolutions[l];
            MapShape inShape = shapes[l], outShape = shapes[l + 1];
            double norm = Math.Sqrt(inShape.Channels * conv.Kernel * conv.Kernel);
            pre[l + 1] = new double[outShape.Channels, outShape.Size, outShape.Size];
            act[l + 1] = new double[outShape.Channels, outShape.Size, outShape.Size];
            for (int o = 0; o < outShape.Channels; o++)
            {
                for (int oy = 0; oy < outShape.Size; oy++)
                {
                    for (int ox = 0; ox < outShape.Size; ox++)
                    {
                        double sum = 0.0;
                        for (int i = 0; i < inShape.Channels; i++)
                        {
                            for (int ky = 0; ky < conv.Kernel; ky++)
                            {
                                for (int kx = 0; kx < conv.Kernel; kx++)
                                {
                                    int iy = (oy * conv.Stride) - conv.Padding + ky, ix = (ox * conv.Stride) - conv.Padding + kx;
                                    if (iy >= 0 && ix >= 0 && iy < inShape.Size && ix < inShape.Size)
                                    {
                                        sum += _w[l][o, i, ky, kx] * act[l][i, iy, ix];
                                    }
                                }
                            }
                        }

                        pre[l + 1][o, oy, ox] = sum / norm;
                        act[l + 1][o, oy, ox] = _phi(sum / norm);
                    }
                }
            }
        }

        MapShape top = shapes[depth];
        var f = new double[_outputs];
        for (int c = 0; c < top.Channels; c++)
        {
            double pooled = 0.0;
            for (int i = 0; i < top.Size; i++)
            {
                for (int j = 0; j < top.Size; j++)
                {
                    pooled += act[depth][c, i, j];
                }
            }

            for (int o = 0; o < _outputs; o++)
            {
                f[o] += _readout[(o * top.Channels) + c] * pooled / top.Positions;
            }
        }

        return (f.Select(v => v / (_gamma0 * top.Channels)).ToArray(), pre, act);
    }
}
