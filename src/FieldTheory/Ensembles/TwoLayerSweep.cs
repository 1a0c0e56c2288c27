using FieldTheory.Compute;
using System.Numerics;
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
internal readonly struct TwoLayerSweep<TActivation>(EnsembleShape shape, int ld, double gamma0, double rate, LaneActivation<TActivation> activation)
    where TActivation : struct, IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int m, double[] x, double[] w0, double[] readout, double[] phi, double[] g, double[] delta, MemberScratch scratch, bool update, StepRecord? record)
    {
        (_, int n, int d, _, int p, int pa) = shape;
        int v = Vector<double>.Count;
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

        Vector<double>[] sums = scratch.Sums;
        Array.Clear(sums);
        int pp = p * p;
        Vector<double> tail = TailMask(n % v);
        for (int j = 0; j < ld; j += v)
        {
            Vector<double> w = Load(readout, readoutAt + j);
            if (update)
            {
                for (int k = 0; k < d; k++)
                {
                    long at = w0At + (k * ld) + j;
                    Vector<double> weight = Load(w0, at);
                    for (int mu = 0; mu < p; mu++)
                    {
                        weight = Vector.FusedMultiplyAdd(new Vector<double>(coefficients[(k * p) + mu]), Load(g, gAt + (mu * ld) + j), weight);
                    }

                    Store(weight, w0, at);
                }

                for (int mu = 0; mu < p; mu++)
                {
                    w = Vector.FusedMultiplyAdd(new Vector<double>(coefficients[(d * p) + mu]), Load(phi, phiAt + (mu * ld) + j), w);
                }

                Store(w, readout, readoutAt + j);
            }

            if (record is null)
            {
                continue;
            }

            Vector<double> mask = j + v > n ? tail : Vector<double>.One;
            for (int mu = 0; mu < pa; mu++)
            {
                Vector<double> h = Vector<double>.Zero;
                for (int k = 0; k < d; k++)
                {
                    h = Vector.FusedMultiplyAdd(new Vector<double>(x[(mu * d) + k]), Load(w0, w0At + (k * ld) + j), h);
                }

                activation.Apply(h * inputScale, out Vector<double> value, out Vector<double> slope);
                value *= mask;
                Store(value, phi, phiAt + (mu * ld) + j);
                sums[mu] = Vector.FusedMultiplyAdd(w, value, sums[mu]);
                if (mu < p)
                {
                    Store(slope * w * mask, g, gAt + (mu * ld) + j);
                }
            }

            for (int mu = 0; mu < p; mu++)
            {
                Vector<double> phiMu = Load(phi, phiAt + (mu * ld) + j);
                Vector<double> gMu = Load(g, gAt + (mu * ld) + j);
                for (int nu = 0; nu <= mu; nu++)
                {
                    int at = (mu * p) + nu;
                    sums[pa + at] = Vector.FusedMultiplyAdd(phiMu, Load(phi, phiAt + (nu * ld) + j), sums[pa + at]);
                    sums[pa + pp + at] = Vector.FusedMultiplyAdd(gMu, Load(g, gAt + (nu * ld) + j), sums[pa + pp + at]);
                }
            }
        }

        if (record is null)
        {
            return;
        }

        for (int mu = 0; mu < pa; mu++)
        {
            record.Outputs[(m * pa) + mu] = Vector.Sum(sums[mu]) / (gamma0 * n);
        }

        double[] feature = record.Feature[0], gradient = record.Gradient[0];
        for (int mu = 0; mu < p; mu++)
        {
            for (int nu = 0; nu <= mu; nu++)
            {
                int at = (mu * p) + nu;
                feature[(m * pp) + at] = feature[(m * pp) + (nu * p) + mu] = Vector.Sum(sums[pa + at]) / n;
                gradient[(m * pp) + at] = gradient[(m * pp) + (nu * p) + mu] = Vector.Sum(sums[pa + pp + at]) / n;
            }
        }
    }

    /// <summary>Ones in the first <paramref name="lanes"/> lanes (all lanes for 0), zeros after.</summary>
    private static Vector<double> TailMask(int lanes)
    {
        Span<double> mask = stackalloc double[Vector<double>.Count];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = lanes == 0 || i < lanes ? 1.0 : 0.0;
        }

        return new Vector<double>(mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Load(double[] a, long index) =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<double> value, double[] a, long index) =>
        value.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)index);
}
