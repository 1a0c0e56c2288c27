using FieldTheory.Randomness;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The host implementation of <see cref="ISampleEngine"/>: <see cref="SiteSamples"/> in managed arrays, advanced with
/// Parallel.For over fixed chunks of samples (<see cref="ChunkedSum"/>) and SIMD dot products. The reference that the
/// ILGPU engine (<see cref="KernelSampleEngine{TActivation}"/>) is tested against.
/// </summary>
internal sealed class CpuSampleEngine<TActivation> : ISampleEngine
    where TActivation : struct, IActivation
{
    private readonly SiteSamples _field;
    private readonly SiteSamples _tangent;
    private readonly int _layers;
    private readonly int _points;
    private readonly int _train;
    private readonly int _size;
    private readonly double _c;

    public CpuSampleEngine(DeepProblem problem, int fieldCount, int tangentCount, ulong fieldSeed, ulong tangentSeed)
    {
        _field = new SiteSamples(problem, fieldCount, withTangents: false, fieldSeed);
        _tangent = new SiteSamples(problem, tangentCount, withTangents: true, tangentSeed);
        _layers = problem.HiddenLayers;
        _points = problem.Points;
        _train = problem.TrainCount;
        _size = problem.Size;
        _c = problem.Eta * problem.Gamma0;
    }

    public int FieldCount => _field.Count;

    public int TangentCount => _tangent.Count;

    /// <summary>Where the per-sample work runs, in words.</summary>
    public static string Description => $"CPU: Parallel.For over chunks of {ChunkedSum.ChunkSize} samples, deterministic chunk-ordered sums";

    public double[] ForwardField(LayerStep step, CancellationToken ct) =>
        ChunkedSum.Run(_field.Count, _points * step.End, (first, last, partial) =>
        {
            for (int s = first; s < last; s++)
            {
                Forward(_field, s, step);
                AddOuterRows(partial, _field.Phi[step.Layer], s, step.Start, step.End);
            }
        }, ct);

    public double[] ForwardTangent(LayerStep step, CancellationToken ct)
    {
        int l = step.Layer;
        int past = step.Step * _train;
        return ChunkedSum.Run(_tangent.Count, _points * past, (first, last, partial) =>
        {
            for (int s = first; s < last; s++)
            {
                Forward(_tangent, s, step);
                if (l < _layers)
                {
                    AddTangentRows(partial, _tangent.TangentR[l]!, _tangent.TangentR[l]!.DPhi[s], step.Start, past);
                }
            }
        }, ct);
    }

    public double[] BackwardField(LayerStep step, CancellationToken ct)
    {
        int l = step.Layer;
        int start = step.Start;
        int width = _points * step.End;
        return ChunkedSum.Run(_field.Count, width + (l == _layers ? _points : 0), (first, last, partial) =>
        {
            for (int s = first; s < last; s++)
            {
                Backward(_field, s, step);
                AddOuterRows(partial, _field.Gradient[l], s, start, step.End);
                if (l == _layers)
                {
                    long row = (long)s * _size;
                    for (int mu = 0; mu < _points; mu++)
                    {
                        partial[width + mu] += _field.Z[l][s * _points + mu] * _field.Phi[l][row + start + mu];
                    }
                }
            }
        }, ct);
    }

    public double[] BackwardTangent(LayerStep step, CancellationToken ct)
    {
        int l = step.Layer;
        int upToNow = (step.Step + 1) * _train;
        return ChunkedSum.Run(_tangent.Count, _points * upToNow, (first, last, partial) =>
        {
            for (int s = first; s < last; s++)
            {
                Backward(_tangent, s, step);
                if (l >= 2)
                {
                    AddTangentRows(partial, _tangent.TangentU[l]!, _tangent.TangentU[l]!.DGradient[s], step.Start, upToNow);
                }
            }
        }, ct);
    }

    public void Dispose()
    {
    }

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
            ulong stream = StreamId.Of(s, l, SiteSamples.PurposeU);
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
                noise[row + i] = random.Normal(StreamId.Of(s, l, SiteSamples.PurposeU), (ulong)i);
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
            noise[row] = random.Normal(StreamId.Of(s, l, SiteSamples.PurposeR), 0);
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
                noise[row + i] = random.Normal(StreamId.Of(s, l, SiteSamples.PurposeR), (ulong)i);
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
}
