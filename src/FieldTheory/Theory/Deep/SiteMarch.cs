namespace FieldTheory.Theory.Deep;

/// <summary>
/// One causal sweep of the deep single-site process in discrete time (DESIGN.md 3.2). At step n: forward through the
/// layers (extend u^l with a bordered Cholesky row of Phi^{l-1}, h = u + c sum_{m&lt;n} [A^{l-1} + Delta Phi^{l-1}] g,
/// the new Phi^l row, A^l from the r-tangents), then backward (extend r^l from G^{l+1},
/// z = r + c sum_{m&lt;=n} B^l phi + c sum_{m&lt;n} Delta G^{l+1} phi with the equal-time B term, g = phi'(h) z, the new
/// G^l row, B^{l-1} from the u-tangents), then f(n) = &lt;z^L(n) phi(h^L(n))&gt; / gamma0 and Delta(n).
/// Order parameters are read from one object and written to another; passing the same object for both is the
/// one-pass scheme (each row is written before it is read), distinct objects give one sweep of the iterated scheme.
/// Field samples estimate Phi, G and f; tangent samples (independent paths) estimate A and B; the per-sample work runs
/// in an <see cref="ISampleEngine"/> (host or ILGPU), the bordered Cholesky rows, memory rows and the scaling of the
/// sums into kernel rows stay here on the host.
/// </summary>
internal sealed class SiteMarch
{
    private readonly DeepProblem _problem;
    private readonly double _jitter;
    private readonly int _layers;
    private readonly int _points;
    private readonly int _train;
    private readonly int _size;
    private readonly double _c;
    private readonly bool _dropResponses;

    public SiteMarch(DeepProblem problem, double jitter, bool dropResponses)
    {
        _dropResponses = dropResponses;
        _problem = problem;
        _jitter = jitter;
        _layers = problem.HiddenLayers;
        _points = problem.Points;
        _train = problem.TrainCount;
        _size = problem.Size;
        _c = problem.Eta * problem.Gamma0;
    }

    public void Sweep(OrderParameters read, OrderParameters write, ISampleEngine samples, CancellationToken ct, IProgress<double>? progress)
    {
        var input = new BorderedCholesky(_points, _jitter);
        input.Extend(0, _points, _problem.InputGram);
        var sourceU = new BorderedCholesky?[_layers + 1];
        var sourceR = new BorderedCholesky?[_layers + 1];
        for (int l = 1; l <= _layers; l++)
        {
            sourceU[l] = l >= 2 ? new BorderedCholesky(_size, _jitter) : null;
            sourceR[l] = l < _layers ? new BorderedCholesky(_size, _jitter) : null;
        }

        var initialF = new double[_points];
        for (int n = 0; n <= _problem.Steps; n++)
        {
            ct.ThrowIfCancellationRequested();
            int start = n * _points;
            int end = start + _points;
            for (int l = 1; l <= _layers; l++)
            {
                sourceU[l]?.Extend(start, end, read.Phi[l - 1]);
                double[] kh = MemoryRows(read.A[l - 1], read.Phi[l - 1], read.Delta, start, start, strictlyCausalDelta: true);
                var step = new LayerStep(l, n, start, end, kh, sourceU[l], input);

                double[] phiSums = samples.ForwardField(step, ct);
                WriteSymmetricRows(write.Phi[l], phiSums, start, end, 1.0 / samples.FieldCount);

                double[] aSums = samples.ForwardTangent(step, ct);
                if (l < _layers)
                {
                    WriteResponseRows(write.A[l], aSums, start, n * _train, 1.0 / (samples.TangentCount * _c));
                }
            }

            for (int l = _layers; l >= 1; l--)
            {
                sourceR[l]?.Extend(start, end, read.G[l + 1]);
                double[] kz = MemoryRows(read.B[l], read.G[l + 1], read.Delta, start, end, strictlyCausalDelta: true);
                var step = new LayerStep(l, n, start, end, kz, sourceR[l], input);

                double[] gSums = samples.BackwardField(step, ct);
                WriteSymmetricRows(write.G[l], gSums, start, end, 1.0 / samples.FieldCount);

                double[] bSums = samples.BackwardTangent(step, ct);
                if (l >= 2)
                {
                    WriteResponseRows(write.B[l - 1], bSums, start, (n + 1) * _train, 1.0 / (samples.TangentCount * _c));
                }

                if (l == _layers)
                {
                    int width = _points * end;
                    for (int mu = 0; mu < _points; mu++)
                    {
                        double raw = gSums[width + mu] / (samples.FieldCount * _problem.Gamma0);
                        if (n == 0)
                        {
                            initialF[mu] = raw;
                        }

                        write.F[n][mu] = _problem.Centered ? raw - initialF[mu] : raw;
                    }
                }
            }

            for (int mu = 0; mu < _train; mu++)
            {
                write.Delta[start + mu] = _problem.Y[mu] - write.F[n][mu];
            }

            progress?.Report((n + 1.0) / (_problem.Steps + 1));
        }
    }

    // Memory kernel rows of block [start, start + P) over columns < width, training columns only:
    // response(i, j) + Delta(j) kernel(i, j), the Delta part only for j before the block (strictly causal).
    private double[] MemoryRows(double[] response, double[] kernel, double[] delta, int start, int width, bool strictlyCausalDelta)
    {
        var rows = new double[_points * width];
        for (int mu = 0; mu < _points; mu++)
        {
            long row = (long)(start + mu) * _size;
            for (int j = 0; j < width; j++)
            {
                if (j % _points < _train)
                {
                    bool causal = !strictlyCausalDelta || j < start;
                    double memory = _dropResponses ? 0.0 : response[row + j];
                    rows[mu * width + j] = memory + (causal ? delta[j] * kernel[row + j] : 0.0);
                }
            }
        }

        return rows;
    }

    private void WriteSymmetricRows(double[] kernel, double[] sums, int start, int end, double scale)
    {
        for (int mu = 0; mu < _points; mu++)
        {
            long row = (long)(start + mu) * _size;
            for (int j = 0; j < end; j++)
            {
                double value = sums[mu * end + j] * scale;
                kernel[row + j] = value;
                kernel[(long)j * _size + start + mu] = value;
            }
        }
    }

    // Response rows: direction d = k P + b is the source at (step k, training point b), column k Points + b.
    private void WriteResponseRows(double[] response, double[] sums, int start, int count, double scale)
    {
        for (int mu = 0; mu < _points; mu++)
        {
            long row = (long)(start + mu) * _size;
            for (int d = 0; d < count; d++)
            {
                response[row + d / _train * _points + d % _train] = sums[mu * count + d] * scale;
            }
        }
    }
}
