using FieldTheory.Randomness;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// One causal sweep of the deep single-site process in discrete time (DESIGN.md 3.2). At step n: forward through the
/// layers (extend u^l with a bordered Cholesky row of Phi^{l-1}, h = u + c sum_{m&lt;n} [A^{l-1} + Delta Phi^{l-1}] g,
/// the new Phi^l row, A^l from the r-tangents), then backward (extend r^l from G^{l+1},
/// z = r + c sum_{m&lt;=n} B^l phi + c sum_{m&lt;n} Delta G^{l+1} phi with the equal-time B term, g = phi'(h) z, the new
/// G^l row, B^{l-1} from the u-tangents), then f(n) = &lt;z^L(n) phi(h^L(n))&gt; / gamma0 and Delta(n).
/// Order parameters are read from one object and written to another; passing the same object for both is the
/// one-pass scheme (each row is written before it is read), distinct objects give one sweep of the iterated scheme.
/// Field samples estimate Phi, G and f; tangent samples (independent paths) estimate A and B.
/// </summary>
internal sealed class SiteMarch<TActivation>
    where TActivation : struct, IActivation
{
    private const int PurposeU = 1;
    private const int PurposeR = 2;

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

    public void Sweep(OrderParameters read, OrderParameters write, SiteSamples field, SiteSamples tangent, CancellationToken ct, IProgress<double>? progress)
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
                var context = new LayerStep(l, n, start, end, kh, sourceU[l], input);

                double[] phiSums = ChunkedSum.Run(field.Count, _points * end, (first, last, partial) =>
                {
                    for (int s = first; s < last; s++)
                    {
                        Forward(field, s, context);
                        AddOuterRows(partial, field.Phi[l], s, start, end);
                    }
                }, ct);
                WriteSymmetricRows(write.Phi[l], phiSums, start, end, 1.0 / field.Count);

                int past = n * _train;
                double[] aSums = ChunkedSum.Run(tangent.Count, _points * past, (first, last, partial) =>
                {
                    for (int s = first; s < last; s++)
                    {
                        Forward(tangent, s, context);
                        if (l < _layers)
                        {
                            AddTangentRows(partial, tangent.TangentR[l]!, tangent.TangentR[l]!.DPhi[s], start, past);
                        }
                    }
                }, ct);
                if (l < _layers)
                {
                    WriteResponseRows(write.A[l], aSums, start, past, 1.0 / (tangent.Count * _c));
                }
            }

            for (int l = _layers; l >= 1; l--)
            {
                sourceR[l]?.Extend(start, end, read.G[l + 1]);
                double[] kz = MemoryRows(read.B[l], read.G[l + 1], read.Delta, start, end, strictlyCausalDelta: true);
                var context = new LayerStep(l, n, start, end, kz, sourceR[l], input);
                int width = _points * end;

                double[] gSums = ChunkedSum.Run(field.Count, width + _points, (first, last, partial) =>
                {
                    for (int s = first; s < last; s++)
                    {
                        Backward(field, s, context);
                        AddOuterRows(partial, field.Gradient[l], s, start, end);
                        if (l == _layers)
                        {
                            long row = (long)s * _size;
                            for (int mu = 0; mu < _points; mu++)
                            {
                                partial[width + mu] += field.Z[l][s * _points + mu] * field.Phi[l][row + start + mu];
                            }
                        }
                    }
                }, ct);
                WriteSymmetricRows(write.G[l], gSums, start, end, 1.0 / field.Count);

                int upToNow = (n + 1) * _train;
                double[] bSums = ChunkedSum.Run(tangent.Count, _points * upToNow, (first, last, partial) =>
                {
                    for (int s = first; s < last; s++)
                    {
                        Backward(tangent, s, context);
                        if (l >= 2)
                        {
                            AddTangentRows(partial, tangent.TangentU[l]!, tangent.TangentU[l]!.DGradient[s], start, upToNow);
                        }
                    }
                }, ct);
                if (l >= 2)
                {
                    WriteResponseRows(write.B[l - 1], bSums, start, upToNow, 1.0 / (tangent.Count * _c));
                }

                if (l == _layers)
                {
                    for (int mu = 0; mu < _points; mu++)
                    {
                        double raw = gSums[width + mu] / (field.Count * _problem.Gamma0);
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

    private readonly record struct LayerStep(int Layer, int Step, int Start, int End, double[] Memory, BorderedCholesky? Source, BorderedCholesky Input);

    private void Forward(SiteSamples set, int s, LayerStep step)
    {
        int l = step.Layer;
        int start = step.Start;
        long row = (long)s * _size;
        var random = new RandomStream(set.Seed);
        double[] noise = set.NoiseU[l];
        if (l == 1 && step.Step == 0)
        {
            // u^1 = W^0 x / sqrt(D) is constant in time: sample it once from K^x.
            ulong stream = StreamId.Of(s, l, PurposeU);
            Span<double> xi = stackalloc double[_points];
            for (int nu = 0; nu < _points; nu++)
            {
                xi[nu] = random.Normal(stream, (ulong)nu);
            }

            for (int mu = 0; mu < _points; mu++)
            {
                noise[row + mu] = Dot.Of(step.Input.Row(mu), xi[..(mu + 1)]);
            }
        }

        ReadOnlySpan<double> gradient = set.Gradient[l].AsSpan((int)row, start);
        for (int mu = 0; mu < _points; mu++)
        {
            int i = start + mu;
            double u;
            if (l == 1)
            {
                u = noise[row + mu];
            }
            else
            {
                noise[row + i] = random.Normal(StreamId.Of(s, l, PurposeU), (ulong)i);
                u = Dot.Of(step.Source!.Row(i), noise.AsSpan((int)row, i + 1));
            }

            double h = u + _c * Dot.Of(step.Memory.AsSpan(mu * start, start), gradient);
            ActivationJet jet = default(TActivation).Jet(h);
            set.Phi[l][row + i] = jet.Value;
            set.H[l][s * _points + mu] = h;
            set.D1[l][s * _points + mu] = jet.D1;
            set.D2[l][s * _points + mu] = jet.D2;
        }

        if (set.WithTangents)
        {
            ForwardTangents(set, s, step, set.TangentR[l], sourceIsU: false);
            ForwardTangents(set, s, step, set.TangentU[l], sourceIsU: true);
        }
    }

    // dh(n) = [u source] + c sum_{m<n} Kh(n, m) dg(m);  d phi(n) = phi'(h(n)) dh(n).
    private void ForwardTangents(SiteSamples set, int s, LayerStep step, SiteSamples.Tangents? tangents, bool sourceIsU)
    {
        if (tangents is null)
        {
            return;
        }

        int start = step.Start;
        int active = (step.Step + 1) * _train;
        double[] dPhi = tangents.DPhi[s];
        double[] dGradient = tangents.DGradient[s];
        double[] dH = tangents.DH[s];
        double[] d1 = set.D1[step.Layer];
        for (int d = 0; d < active; d++)
        {
            int offset = tangents.Offset(d);
            int first = tangents.First[d];
            ReadOnlySpan<double> past = dGradient.AsSpan(offset + first, start - first);
            for (int mu = 0; mu < _points; mu++)
            {
                double dh = sourceIsU && d == step.Step * _train + mu ? 1.0 : 0.0;
                dh += _c * Dot.Of(step.Memory.AsSpan(mu * start + first, start - first), past);
                dH[d * _points + mu] = dh;
                dPhi[offset + start + mu] = d1[s * _points + mu] * dh;
            }
        }
    }

    private void Backward(SiteSamples set, int s, LayerStep step)
    {
        int l = step.Layer;
        int start = step.Start;
        int end = step.End;
        long row = (long)s * _size;
        var random = new RandomStream(set.Seed);
        double[] noise = set.NoiseR[l];
        if (l == _layers && step.Step == 0)
        {
            // r^L = w^L(0) ~ N(0, 1) is constant in time.
            noise[row] = random.Normal(StreamId.Of(s, l, PurposeR), 0);
        }

        ReadOnlySpan<double> phi = set.Phi[l].AsSpan((int)row, end);
        for (int mu = 0; mu < _points; mu++)
        {
            int i = start + mu;
            double r;
            if (l == _layers)
            {
                r = noise[row];
            }
            else
            {
                noise[row + i] = random.Normal(StreamId.Of(s, l, PurposeR), (ulong)i);
                r = Dot.Of(step.Source!.Row(i), noise.AsSpan((int)row, i + 1));
            }

            double z = r + _c * Dot.Of(step.Memory.AsSpan(mu * end, end), phi);
            set.Z[l][s * _points + mu] = z;
            set.Gradient[l][row + i] = set.D1[l][s * _points + mu] * z;
        }

        if (set.WithTangents)
        {
            BackwardTangents(set, s, step, set.TangentR[l], sourceIsR: true);
            BackwardTangents(set, s, step, set.TangentU[l], sourceIsR: false);
        }
    }

    // dz(n) = [r source] + c sum_{m<=n} Kz(n, m) d phi(m);  dg(n) = phi''(h) dh z + phi'(h) dz.
    private void BackwardTangents(SiteSamples set, int s, LayerStep step, SiteSamples.Tangents? tangents, bool sourceIsR)
    {
        if (tangents is null)
        {
            return;
        }

        int start = step.Start;
        int end = step.End;
        int active = (step.Step + 1) * _train;
        double[] dPhi = tangents.DPhi[s];
        double[] dGradient = tangents.DGradient[s];
        double[] dH = tangents.DH[s];
        int l = step.Layer;
        for (int d = 0; d < active; d++)
        {
            int offset = tangents.Offset(d);
            int first = tangents.First[d];
            ReadOnlySpan<double> history = dPhi.AsSpan(offset + first, end - first);
            for (int mu = 0; mu < _points; mu++)
            {
                double dz = sourceIsR && d == step.Step * _train + mu ? 1.0 : 0.0;
                dz += _c * Dot.Of(step.Memory.AsSpan(mu * end + first, end - first), history);
                int site = s * _points + mu;
                dGradient[offset + start + mu] = set.D2[l][site] * dH[d * _points + mu] * set.Z[l][site] + set.D1[l][site] * dz;
            }
        }
    }

    // partial[mu * end + j] += x(start + mu) x(j) for the sample's row of x.
    private void AddOuterRows(double[] partial, double[] x, int s, int start, int end)
    {
        ReadOnlySpan<double> path = x.AsSpan((int)((long)s * _size), end);
        for (int mu = 0; mu < _points; mu++)
        {
            double value = path[start + mu];
            Span<double> target = partial.AsSpan(mu * end, end);
            for (int j = 0; j < end; j++)
            {
                target[j] += value * path[j];
            }
        }
    }

    // partial[mu * count + d] += tangent_d(start + mu) for directions d < count (all causal: d < (n + 1) P).
    private void AddTangentRows(double[] partial, SiteSamples.Tangents layout, double[] tangent, int start, int count)
    {
        for (int d = 0; d < count; d++)
        {
            int offset = layout.Offset(d) + start;
            for (int mu = 0; mu < _points; mu++)
            {
                partial[mu * count + d] += tangent[offset + mu];
            }
        }
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
