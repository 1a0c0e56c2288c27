using FieldTheory.Compute;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FieldTheory.Ensembles;

/// <summary>
/// One step of one two-layer member (L = 1, DESIGN.md section 2) in a single SIMD sweep over its neurons, a vector of
/// neurons at a time: the update W^0 += (c / sqrt D) sum_mu Delta_mu g_mu x_mu^T, w += c sum_mu Delta_mu phi_mu from
/// the stored fields of the last step (c = eta gamma0), then h_mu = W^0 x_mu / sqrt D, phi(h), g_mu = phi'(h_mu) w,
/// and per-lane partial sums of f_mu = w . phi_mu / (gamma0 N), Phi_{mu nu} = phi_mu . phi_nu / N and
/// G_{mu nu} = g_mu . g_nu / N, summed across lanes at the end (fixed order). Storage as in
/// <see cref="CpuEnsembleEngine{TActivation}"/>: W^0 transposed (D x ld), neuron rows ld apart, padding lanes zero.
/// </summary>
/// <typeparam name="TFunction">phi and phi' on lanes.</typeparam>
/// <typeparam name="TLanes">The SIMD width (ld is a multiple of its <see cref="ILanes{TSelf}.Count"/>).</typeparam>
internal readonly struct TwoLayerSweep<TFunction, TLanes>(EnsembleShape shape, int ld, double gamma0, double rate)
    where TFunction : struct, ILaneFunction
    where TLanes : struct, ILanes<TLanes>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int m, double[] x, double[] w0, double[] readout, double[] phi, double[] g, double[] delta, MemberScratch scratch, bool update, StepRecord? record)
    {
        (_, int n, int d, _, int p, int pa) = shape;
        if (d == 1 && pa == 1)
        {
            RunSinglePoint(m, x[0], w0, readout, phi, g, delta[m], update, record);
            return;
        }

        int v = TLanes.Count;
        double inputScale = 1.0 / Math.Sqrt(d);
        long w0At = (long)m * d * ld, readoutAt = (long)m * ld, phiAt = (long)m * pa * ld, gAt = (long)m * p * ld;
        double[] coefficients = scratch.Coefficients;
        for (int mu = 0; mu < p; mu++)
        {
            double step = rate * delta[(m * p) + mu];
            coefficients[(d * p) + mu] = step;
            for (int k = 0; k < d; k++)
            {
                coefficients[(k * p) + mu] = step * inputScale * x[(mu * d) + k];
            }
        }

        int pp = p * p;
        Span<TLanes> sums = MemoryMarshal.Cast<double, TLanes>(scratch.Sums.AsSpan(0, (pa + (2 * pp)) * v));
        sums.Clear();
        TLanes tail = TLanes.FirstLanes(n % v);
        for (int j = 0; j < ld; j += v)
        {
            TLanes w = Load(readout, readoutAt + j);
            if (update)
            {
                for (int k = 0; k < d; k++)
                {
                    long at = w0At + (k * ld) + j;
                    TLanes weight = Load(w0, at);
                    for (int mu = 0; mu < p; mu++)
                    {
                        weight = TLanes.FusedMultiplyAdd(TLanes.Create(coefficients[(k * p) + mu]), Load(g, gAt + (mu * ld) + j), weight);
                    }

                    Store(weight, w0, at);
                }

                for (int mu = 0; mu < p; mu++)
                {
                    w = TLanes.FusedMultiplyAdd(TLanes.Create(coefficients[(d * p) + mu]), Load(phi, phiAt + (mu * ld) + j), w);
                }

                Store(w, readout, readoutAt + j);
            }

            if (record is null)
            {
                continue;
            }

            TLanes mask = j + v > n ? tail : TLanes.Create(1.0);
            for (int mu = 0; mu < pa; mu++)
            {
                TLanes h = TLanes.Zero;
                for (int k = 0; k < d; k++)
                {
                    h = TLanes.FusedMultiplyAdd(TLanes.Create(x[(mu * d) + k]), Load(w0, w0At + (k * ld) + j), h);
                }

                TFunction.Apply(h * TLanes.Create(inputScale), out TLanes value, out TLanes slope);
                value *= mask;
                Store(value, phi, phiAt + (mu * ld) + j);
                sums[mu] = TLanes.FusedMultiplyAdd(w, value, sums[mu]);
                if (mu < p)
                {
                    Store(slope * w * mask, g, gAt + (mu * ld) + j);
                }
            }

            for (int mu = 0; mu < p; mu++)
            {
                TLanes phiMu = Load(phi, phiAt + (mu * ld) + j);
                TLanes gMu = Load(g, gAt + (mu * ld) + j);
                for (int nu = 0; nu <= mu; nu++)
                {
                    int at = (mu * p) + nu;
                    sums[pa + at] = TLanes.FusedMultiplyAdd(phiMu, Load(phi, phiAt + (nu * ld) + j), sums[pa + at]);
                    sums[pa + pp + at] = TLanes.FusedMultiplyAdd(gMu, Load(g, gAt + (nu * ld) + j), sums[pa + pp + at]);
                }
            }
        }

        if (record is null)
        {
            return;
        }

        for (int mu = 0; mu < pa; mu++)
        {
            record.Outputs[(m * pa) + mu] = sums[mu].Sum() / (gamma0 * n);
        }

        double[] feature = record.Feature[0], gradient = record.Gradient[0];
        for (int mu = 0; mu < p; mu++)
        {
            for (int nu = 0; nu <= mu; nu++)
            {
                int at = (mu * p) + nu;
                feature[(m * pp) + at] = feature[(m * pp) + (nu * p) + mu] = sums[pa + at].Sum() / n;
                gradient[(m * pp) + at] = gradient[(m * pp) + (nu * p) + mu] = sums[pa + pp + at].Sum() / n;
            }
        }
    }

    /// <summary>
    /// <see cref="Run"/> for one scalar training point (D = P = 1, no test points) with the sums in registers: the
    /// shape of most two-layer studies (x = y = 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunSinglePoint(int m, double x, double[] w0, double[] readout, double[] phi, double[] g, double delta, bool update, StepRecord? record)
    {
        int n = shape.Width;
        int v = TLanes.Count;
        long at = (long)m * ld;
        TLanes inputStep = TLanes.Create(rate * delta * x);
        TLanes readoutStep = TLanes.Create(rate * delta);
        TLanes input = TLanes.Create(x);
        TLanes tail = TLanes.FirstLanes(n % v);
        TLanes sumF = TLanes.Zero, sumPhi = TLanes.Zero, sumG = TLanes.Zero;
        for (int j = 0; j < ld; j += v)
        {
            long i = at + j;
            TLanes weight = Load(w0, i);
            TLanes w = Load(readout, i);
            if (update)
            {
                weight = TLanes.FusedMultiplyAdd(inputStep, Load(g, i), weight);
                w = TLanes.FusedMultiplyAdd(readoutStep, Load(phi, i), w);
                Store(weight, w0, i);
                Store(w, readout, i);
            }

            if (record is null)
            {
                continue;
            }

            TFunction.Apply(input * weight, out TLanes value, out TLanes slope);
            if (j + v > n)
            {
                value *= tail;
                slope *= tail;
            }

            TLanes field = slope * w;
            Store(value, phi, i);
            Store(field, g, i);
            sumF = TLanes.FusedMultiplyAdd(w, value, sumF);
            sumPhi = TLanes.FusedMultiplyAdd(value, value, sumPhi);
            sumG = TLanes.FusedMultiplyAdd(field, field, sumG);
        }

        if (record is not null)
        {
            record.Outputs[m] = sumF.Sum() / (gamma0 * n);
            record.Feature[0][m] = sumPhi.Sum() / n;
            record.Gradient[0][m] = sumG.Sum() / n;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Load(double[] a, long index) =>
        TLanes.Load(ref MemoryMarshal.GetArrayDataReference(a), (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(TLanes value, double[] a, long index) =>
        value.Store(ref MemoryMarshal.GetArrayDataReference(a), (nuint)index);
}
