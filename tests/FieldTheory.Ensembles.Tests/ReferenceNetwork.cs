using FieldTheory.Randomness;

namespace FieldTheory.Ensembles.Tests;

/// <summary>
/// A plain, obviously-correct width-N network of DESIGN.md section 2, one member at a time, with jagged arrays and
/// loops. The NTK is gamma0^2 N grad f_mu . grad f_nu from explicit per-parameter gradients (backpropagation by the
/// chain rule), and the update is theta += eta gamma0^2 N sum_mu Delta_mu grad f_mu: neither uses the kernel formula
/// K = sum_l G^(l+1) Phi^l nor the engine's update factors, so agreement checks both.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly Func<double, double> _phi;
    private readonly Func<double, double> _dphi;
    private readonly double _gamma0;
    private readonly int _n;
    private readonly int _d;
    private readonly int _layers;
    private readonly double[][][] _w; // W^l [row][column], l = 0..L-1
    private readonly double[] _readout;

    public ReferenceNetwork(NetworkModel model, int width, int dimension, double gamma0, ulong seed, int member)
    {
        _phi = model.Phi;
        _dphi = h => model.Jet(h).D1;
        _gamma0 = gamma0;
        _n = width;
        _d = dimension;
        _layers = model.HiddenLayers;
        var random = new RandomStream(seed);
        _w = new double[_layers][][];
        for (int l = 0; l < _layers; l++)
        {
            int fanIn = l == 0 ? dimension : width;
            _w[l] = new double[width][];
            for (int i = 0; i < width; i++)
            {
                _w[l][i] = new double[fanIn];
                for (int j = 0; j < fanIn; j++)
                {
                    _w[l][i][j] = random.Normal(StreamId.Of(member, l, EnsembleStreams.WeightPurpose), (ulong)((i * fanIn) + j));
                }
            }
        }

        _readout = new double[width];
        for (int i = 0; i < width; i++)
        {
            _readout[i] = random.Normal(StreamId.Of(member, _layers, EnsembleStreams.WeightPurpose), (ulong)i);
        }
    }

    /// <summary>Network output f(x).</summary>
    public double Output(double[] x) => Forward(x).F;

    /// <summary>Phi^l_{mu nu} = phi(h^l_mu) . phi(h^l_nu) / N for l = 1..L.</summary>
    public double FeatureKernel(int layer, double[] a, double[] b)
    {
        double[] pa = Forward(a).Phi[layer];
        double[] pb = Forward(b).Phi[layer];
        double dot = 0.0;
        for (int i = 0; i < _n; i++)
        {
            dot += pa[i] * pb[i];
        }

        return dot / _n;
    }

    /// <summary>grad_theta f(x), all parameters flattened in the order W^0, ..., W^(L-1), w.</summary>
    public double[] Gradient(double[] x)
    {
        (_, double[][] h, double[][] phi) = Forward(x);
        var grads = new List<double>();
        // df/dh^L_i = w_i phi'(h^L_i) / (gamma0 N); df/dh^l_j = phi'(h^l_j) sum_i df/dh^(l+1)_i W^l_ij / sqrt N.
        var dh = new double[_layers][];
        dh[_layers - 1] = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            dh[_layers - 1][i] = _readout[i] * _dphi(h[_layers - 1][i]) / (_gamma0 * _n);
        }

        for (int l = _layers - 1; l >= 1; l--)
        {
            dh[l - 1] = new double[_n];
            for (int j = 0; j < _n; j++)
            {
                double sum = 0.0;
                for (int i = 0; i < _n; i++)
                {
                    sum += dh[l][i] * _w[l][i][j];
                }

                dh[l - 1][j] = _dphi(h[l - 1][j]) * sum / Math.Sqrt(_n);
            }
        }

        for (int l = 0; l < _layers; l++)
        {
            double[] input = l == 0 ? x : phi[l - 1];
            double scale = 1.0 / Math.Sqrt(input.Length);
            for (int i = 0; i < _n; i++)
            {
                for (int j = 0; j < input.Length; j++)
                {
                    grads.Add(dh[l][i] * input[j] * scale);
                }
            }
        }

        for (int i = 0; i < _n; i++)
        {
            grads.Add(phi[_layers - 1][i] / (_gamma0 * _n));
        }

        return [.. grads];
    }

    /// <summary>theta += eta gamma0^2 N sum_mu delta_mu grad f(x_mu).</summary>
    public void Step(double[][] xs, double[] delta, double eta)
    {
        var total = new double[Gradient(xs[0]).Length];
        for (int mu = 0; mu < xs.Length; mu++)
        {
            double[] g = Gradient(xs[mu]);
            for (int k = 0; k < g.Length; k++)
            {
                total[k] += delta[mu] * g[k];
            }
        }

        double scale = eta * _gamma0 * _gamma0 * _n;
        int at = 0;
        for (int l = 0; l < _layers; l++)
        {
            foreach (double[] row in _w[l])
            {
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] += scale * total[at++];
                }
            }
        }

        for (int i = 0; i < _n; i++)
        {
            _readout[i] += scale * total[at++];
        }
    }

    private (double F, double[][] H, double[][] Phi) Forward(double[] x)
    {
        var h = new double[_layers][];
        var phi = new double[_layers][];
        double[] input = x;
        for (int l = 0; l < _layers; l++)
        {
            h[l] = new double[_n];
            phi[l] = new double[_n];
            for (int i = 0; i < _n; i++)
            {
                double sum = 0.0;
                for (int j = 0; j < input.Length; j++)
                {
                    sum += _w[l][i][j] * input[j];
                }

                h[l][i] = sum / Math.Sqrt(input.Length);
                phi[l][i] = _phi(h[l][i]);
            }

            input = phi[l];
        }

        double f = 0.0;
        for (int i = 0; i < _n; i++)
        {
            f += _readout[i] * phi[_layers - 1][i];
        }

        return (f / (_gamma0 * _n), h, phi);
    }
}
