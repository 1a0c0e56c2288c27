using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The site pass of the reduced two-layer propagator (DESIGN.md 4.2): every site is replayed along the group's
/// Delta(n) with forward-mode tangents of (h, w) with respect to every earlier Delta_a(m), and the observables,
/// their squares, their products with the order parameters O_f and their tangents are summed with the site weights.
/// <para>
/// Tangent recursion for a direction j = (a, m): it is born at step m + 1 with dh_mu = c w K^x_{mu a} phi'(h_a),
/// dw = c phi(h_a) (all at step m), and afterwards follows the linearised update
/// dh_mu += c [dw sum_b K^x_{mu b} Delta_b phi'_b + w sum_b K^x_{mu b} Delta_b phi''_b dh_b],
/// dw += c sum_b Delta_b phi'_b dh_b, with c = eta gamma0. Pathwise tangents are exact for smooth phi; for
/// piecewise phi they miss the kink term (DESIGN.md 4.6), see <see cref="FiniteDifferenceSensitivity"/>.
/// </para>
/// Runs on the CPU with <see cref="SiteLanes"/>: each site carries C (Q + 1) tangents and adds R C products, work that
/// suits a long sequential loop per worker with a private accumulator far better than a GPU thread per site (whose
/// private R x C accumulators would not fit).
/// </summary>
internal static class ScalarSensitivityPass
{
    /// <summary>
    /// The moments of the sites [first, last) along <paramref name="delta"/> ([(T + 1) P]), accumulated in
    /// <paramref name="lanes"/> (one per lane, created on first use and cleared on each later one: 2 R C doubles each,
    /// reused from group to group instead of left to the collector); the result is lanes[0].
    /// </summary>
    public static SiteMoments Run<TActivation>(SiteSystem system, int first, int last, double[] delta, SiteMoments?[] lanes, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        ObservableLayout layout = system.Layout;
        return SiteLanes.Run(
            first,
            last,
            lane => lanes[lane]?.Clear() ?? (lanes[lane] = new SiteMoments(layout.Rows, layout.Columns)),
            (from, to, moments) =>
            {
                var scratch = new Scratch(layout);
                for (int i = from; i < to; i++)
                {
                    if ((i & 63) == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }

                    Site<TActivation>(system, i, delta, moments, scratch);
                }
            },
            (target, source) => target.Add(source),
            ct);
    }

    private static void Site<TActivation>(SiteSystem system, int site, double[] delta, SiteMoments moments, Scratch s)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        ObservableLayout layout = system.Layout;
        int q = layout.Points;
        int p = layout.Train;
        int width = q + 1;
        int columns = layout.Columns;
        double c = system.StepScale;
        double inverseGamma = 1.0 / system.Problem.Gamma0;
        bool centered = system.Problem.Centered;
        double[] kx = system.Gram;
        double[] kxTrain = system.GramToTrain;
        double weight = system.Rule.Weights[site];
        system.InitialH.AsSpan(site * q, q).CopyTo(s.H);
        double w = system.InitialW[site];
        double w0 = w;
        for (int n = 0; n <= layout.Steps; n++)
        {
            for (int mu = 0; mu < q; mu++)
            {
                ActivationJet jet = activation.Jet(s.H[mu]);
                s.Phi[mu] = jet.Value;
                s.D1[mu] = jet.D1;
                s.D2[mu] = jet.D2;
                if (n == 0)
                {
                    s.Phi0[mu] = jet.Value;
                }
            }

            int active = n * p;
            int row = layout.Row(n, 0);
            for (int mu = 0; mu < q; mu++)
            {
                s.Observables[row + mu] = ((w * s.Phi[mu]) - (centered ? w0 * s.Phi0[mu] : 0.0)) * inverseGamma;
                long target = (long)(row + mu) * columns;
                double scale = weight * inverseGamma;
                for (int j = 0; j < active; j++)
                {
                    int t = j * width;
                    moments.Jacobian[target + j] += scale * ((s.Tangent[t + q] * s.Phi[mu]) + (w * s.D1[mu] * s.Tangent[t + mu]));
                }
            }

            for (int k = 0; layout.HasKernels(n) && k < layout.Pairs; k++)
            {
                int mu = layout.PairFirst[k];
                int nu = layout.PairSecond[k];
                double kmn = kx[(mu * q) + nu];
                double phiPhi = s.Phi[mu] * s.Phi[nu];
                s.Observables[row + layout.FeatureOffset + k] = phiPhi;
                s.Observables[row + layout.NtkOffset + k] = phiPhi + (kmn * w * w * s.D1[mu] * s.D1[nu]);
                long ntkRow = (long)(row + layout.NtkOffset + k) * columns;
                long featureRow = (long)(row + layout.FeatureOffset + k) * columns;
                for (int j = 0; j < active; j++)
                {
                    int t = j * width;
                    double dhMu = s.Tangent[t + mu];
                    double dhNu = s.Tangent[t + nu];
                    double dPhiPhi = (s.D1[mu] * dhMu * s.Phi[nu]) + (s.Phi[mu] * s.D1[nu] * dhNu);
                    double dGrad = kmn * ((2.0 * w * s.Tangent[t + q] * s.D1[mu] * s.D1[nu])
                        + (w * w * ((s.D2[mu] * dhMu * s.D1[nu]) + (s.D1[mu] * s.D2[nu] * dhNu))));
                    moments.Jacobian[featureRow + j] += weight * dPhiPhi;
                    moments.Jacobian[ntkRow + j] += weight * (dPhiPhi + dGrad);
                }
            }

            if (n == layout.Steps)
            {
                break;
            }

            ReadOnlySpan<double> d = delta.AsSpan(n * p, p);
            for (int mu = 0; mu < q; mu++)
            {
                double field = 0.0;
                for (int b = 0; b < p; b++)
                {
                    field += kxTrain[(mu * p) + b] * d[b] * s.D1[b];
                }

                s.Field[mu] = field;
            }

            for (int j = 0; j < active; j++)
            {
                Span<double> tangent = s.Tangent.AsSpan(j * width, width);
                double dw = 0.0;
                for (int b = 0; b < p; b++)
                {
                    s.Curvature[b] = d[b] * s.D2[b] * tangent[b];
                    dw += d[b] * s.D1[b] * tangent[b];
                }

                double tw = tangent[q];
                for (int mu = 0; mu < q; mu++)
                {
                    double bend = 0.0;
                    for (int b = 0; b < p; b++)
                    {
                        bend += kxTrain[(mu * p) + b] * s.Curvature[b];
                    }

                    tangent[mu] += c * ((tw * s.Field[mu]) + (w * bend));
                }

                tangent[q] = tw + (c * dw);
            }

            for (int a = 0; a < p; a++)
            {
                Span<double> born = s.Tangent.AsSpan((active + a) * width, width);
                for (int mu = 0; mu < q; mu++)
                {
                    born[mu] = c * w * kxTrain[(mu * p) + a] * s.D1[a];
                }

                born[q] = c * s.Phi[a];
            }

            SiteUpdate.Advance(s.H, ref w, s.Phi.AsSpan(0, p), s.D1.AsSpan(0, p), d, kxTrain, c);
        }

        for (int j = 0; j < columns; j++)
        {
            s.OrderParameters[j] = s.Observables[layout.RowOfColumn(j)];
        }

        for (int r = 0; r < layout.Rows; r++)
        {
            double o = s.Observables[r];
            double wo = weight * o;
            moments.Mean[r] += wo;
            moments.Second[r] += wo * o;
            Span<double> cross = moments.Cross.AsSpan(r * columns, columns);
            for (int j = 0; j < columns; j++)
            {
                cross[j] += wo * s.OrderParameters[j];
            }
        }
    }

    private sealed class Scratch(ObservableLayout layout)
    {
        public double[] H { get; } = new double[layout.Points];

        public double[] Phi { get; } = new double[layout.Points];

        public double[] Phi0 { get; } = new double[layout.Points];

        public double[] D1 { get; } = new double[layout.Points];

        public double[] D2 { get; } = new double[layout.Points];

        public double[] Field { get; } = new double[layout.Points];

        public double[] Curvature { get; } = new double[layout.Train];

        /// <summary>dh_mu / dDelta_j then dw / dDelta_j for every direction j, [j][Q + 1].</summary>
        public double[] Tangent { get; } = new double[layout.Columns * (layout.Points + 1)];

        public double[] Observables { get; } = new double[layout.Rows];

        public double[] OrderParameters { get; } = new double[layout.Columns];
    }
}
