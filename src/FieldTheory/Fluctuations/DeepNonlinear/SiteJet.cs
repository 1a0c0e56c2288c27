using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// One sample path of a layer's site (<see cref="LayerEquation"/>) with its pathwise forward-mode derivatives
/// (DESIGN.md 4.5): to third order with respect to the active additive sources (d = F S directions, F families, S
/// time-major positions i = n P + mu, indexed by <see cref="SourceDirections"/>; a middle layer has both j_h and j_z, so
/// its jets include every mixed derivative), and mixed second order with respect to Delta(j) and a source direction. A
/// response-field insertion is a derivative with respect to j (rho for j_z, sigma for j_h), so these are all the site
/// moments the propagator needs. Stored for phi(h), g and z over positions: X[i], X1[i, k], X2[i, k, k'],
/// X3[i, k, k', k''], XD[i, j] = dX(i)/dDelta(j), XDk[i, j, k] (row-major; position and Delta indices run over S,
/// direction indices over d).
/// Causality: every derivative at position i vanishes for directions of positions in later steps and for Delta indices
/// j of the same or later steps, and those entries are never written (they stay zero); the directions of i's own step
/// are all written (z reads phi at every point of its step). One instance per thread; <see cref="Run"/> overwrites it.
/// </summary>
/// <remarks>
/// Memory: <see cref="LayerSampler.JetBytes"/>. Time: about d^3 S^2 / 5 flops per third-order field (S^5 / 5 for one
/// family, 8 S^5 / 5 for a middle layer, S = P (T + 1)).
/// </remarks>
internal sealed class SiteJet<TActivation>
    where TActivation : struct, IActivation
{
    private readonly LayerEquation _equation;
    private readonly int _s, _d, _f, _p;

    // Scratch: derivatives of h at the current position, and of e = phi'(h) at each point of the current step (block
    // mu of each array), which g reads once phi is known at the whole step; e itself per point in _slope.
    private readonly double[] _h1, _hD, _h2, _hDk, _h3;
    private readonly double[] _e1, _eD, _e2, _eDk, _e3, _slope;

    public SiteJet(LayerEquation equation)
    {
        _equation = equation;
        int s = equation.Size;
        _s = s;
        _p = equation.Points;
        _f = equation.Active.Families;
        int d = _f * s, p = _p;
        _d = d;
        Phi = new Field(s, d);
        Gradient = new Field(s, d);
        Z = new Field(s, d);
        _h1 = new double[d];
        _hD = new double[s];
        _h2 = new double[d * d];
        _hDk = new double[s * d];
        _h3 = new double[d * d * d];
        _e1 = new double[p * d];
        _eD = new double[p * s];
        _e2 = new double[p * d * d];
        _eDk = new double[p * s * d];
        _e3 = new double[p * d * d * d];
        _slope = new double[p];
    }

    /// <summary>phi(h(i)) and its derivatives.</summary>
    public Field Phi { get; }

    /// <summary>g(i) = phi'(h(i)) z(i) and its derivatives.</summary>
    public Field Gradient { get; }

    /// <summary>z(i) and its derivatives.</summary>
    public Field Z { get; }

    /// <summary>
    /// Integrates the path for sources <paramref name="u"/>, <paramref name="r"/> (length S), one step at a time: h and
    /// phi at every point of the step, then z and g. Without <paramref name="withDerivatives"/> only the values are
    /// computed (the field samples of kappa's plain block).
    /// </summary>
    public void Run(ReadOnlySpan<double> u, ReadOnlySpan<double> r, bool withDerivatives)
    {
        int s = _s;
        double[] kh = _equation.FeatureMemory, kz = _equation.BackwardMemory;
        double[] p = Phi.Value, g = Gradient.Value, z = Z.Value;
        for (int start = 0; start < s; start += _p)
        {
            int end = start + _p;
            for (int i = start; i < end; i++)
            {
                int row = i * s;
                double h = u[i];
                for (int m = 0; m < start; m++)
                {
                    h += kh[row + m] * g[m];
                }

                if (!withDerivatives)
                {
                    ActivationJet value = default(TActivation).Jet(h);
                    p[i] = value.Value;
                    _slope[i - start] = value.D1;
                    continue;
                }

                ForwardDerivatives(i, start);
                ActivationJet jet = default(TActivation).Jet(h);
                double d4 = FourthDerivative(h);
                p[i] = jet.Value;
                _slope[i - start] = jet.D1;
                PhiDerivatives(i, start, jet, d4);
            }

            for (int i = start; i < end; i++)
            {
                int row = i * s;
                double zn = r[i];
                for (int m = 0; m < end; m++)
                {
                    zn += kz[row + m] * p[m];
                }

                z[i] = zn;
                if (!withDerivatives)
                {
                    g[i] = _slope[i - start] * zn;
                    continue;
                }

                BackwardDerivatives(i, start);
                GradientDerivatives(i, start, _slope[i - start], zn);
            }
        }
    }

    // phi'''' by a central difference of the generated phi''' (relative error about 1e-8 for smooth activations).
    private static double FourthDerivative(double h)
    {
        double step = 1e-4 * Math.Max(1, Math.Abs(h));
        return (default(TActivation).Jet(h + step).D3 - default(TActivation).Jet(h - step).D3) / (2 * step);
    }

    // The first position whose fields can depend on direction k: the start of the step of k's position.
    private int FirstReached(int k) => _equation.StepStart(k / _f);

    // Derivatives of h(i) = u(i) + j_h(i) + sum_{m < start} Kh(i, m) g(m), start the first position of i's step;
    // Delta(j) enters through Kh(i, j) = ... + c Delta(j) Phi^{l-1}(i, j). A derivative of g(m) in direction k vanishes
    // before the step of k, and in Delta(j) up to the end of j's step, which bounds every sum over m.
    private void ForwardDerivatives(int i, int start)
    {
        int s = _s, d = _d, top = _f * (start + _p), row = i * s;
        double[] kh = _equation.FeatureMemory, kernel = _equation.FeatureKernel;
        double c = _equation.C;
        Field g = Gradient;
        int source = _equation.Active.Of(SourceFamily.Feature, i);
        for (int k = 0; k < top; k++)
        {
            double sum = k == source ? 1 : 0;
            for (int m = FirstReached(k); m < start; m++)
            {
                sum += kh[row + m] * g.D1[m * d + k];
            }

            _h1[k] = sum;
        }

        for (int j = 0; j < start; j++)
        {
            double sum = c * kernel[row + j] * g.Value[j];
            for (int m = _equation.StepEnd(j); m < start; m++)
            {
                sum += kh[row + m] * g.DDelta[m * s + j];
            }

            _hD[j] = sum;
        }

        // Second and third order: the sums over m run outermost so that the inner loops are contiguous; for each entry
        // the terms are added in ascending m from zero, over exactly the m whose directions are live (k < F StepEnd(m)).
        ClearSecond(_h2, top, 0);
        ClearThird(_h3, top, 0);
        for (int m = 0; m < start; m++)
        {
            AddLive(kh[row + m], g.D2, g.D3, m, _h2, _h3, 0);
        }

        for (int j = 0; j < start; j++)
        {
            for (int k = 0; k < top; k++)
            {
                double sum = c * kernel[row + j] * g.D1[j * d + k];
                for (int m = Math.Max(_equation.StepEnd(j), FirstReached(k)); m < start; m++)
                {
                    sum += kh[row + m] * g.DDeltaSource[(m * s + j) * d + k];
                }

                _hDk[j * d + k] = sum;
            }
        }
    }

    // Zeroes the live block (every index below top) of a second derivative whose position row starts at offset.
    private void ClearSecond(double[] target, int top, int offset)
    {
        for (int k = 0; k < top; k++)
        {
            target.AsSpan(offset + k * _d, top).Clear();
        }
    }

    // Zeroes the live block of a third derivative whose position row starts at offset.
    private void ClearThird(double[] target, int top, int offset)
    {
        for (int k = 0; k < top; k++)
        {
            for (int k2 = 0; k2 < top; k2++)
            {
                target.AsSpan(offset + (k * _d + k2) * _d, top).Clear();
            }
        }
    }

    // second += w X2[m], third += w X3[m] over the directions live at position m (k < F StepEnd(m)); offset is the row of the target position (0 for scratch).
    private void AddLive(double w, double[] second, double[] third, int m, double[] secondTarget, double[] thirdTarget, int offset)
    {
        int d = _d, live = _f * _equation.StepEnd(m);
        for (int k = 0; k < live; k++)
        {
            SpanMath.AddScaled(w, second.AsSpan((m * d + k) * d, live), secondTarget.AsSpan(offset * d + k * d, live));
            for (int k2 = 0; k2 < live; k2++)
            {
                SpanMath.AddScaled(w, third.AsSpan(((m * d + k) * d + k2) * d, live), thirdTarget.AsSpan((offset * d + k * d + k2) * d, live));
            }
        }
    }

    // Faa di Bruno for phi(h) and for e = phi'(h), from the derivatives of h at position i (e into block i - start).
    private void PhiDerivatives(int i, int start, ActivationJet jet, double d4)
    {
        int s = _s, d = _d, top = _f * (start + _p), slot = i - start;
        double d1 = jet.D1, d2 = jet.D2, d3 = jet.D3;
        Span<double> e1 = _e1.AsSpan(slot * d, d), eD = _eD.AsSpan(slot * s, s), e2 = _e2.AsSpan(slot * d * d, d * d);
        Span<double> eDk = _eDk.AsSpan(slot * s * d, s * d), e3 = _e3.AsSpan(slot * d * d * d, d * d * d);
        Field p = Phi;
        for (int k = 0; k < top; k++)
        {
            p.D1[i * d + k] = d1 * _h1[k];
            e1[k] = d2 * _h1[k];
        }

        for (int j = 0; j < start; j++)
        {
            p.DDelta[i * s + j] = d1 * _hD[j];
            eD[j] = d2 * _hD[j];
            for (int k = 0; k < top; k++)
            {
                double hh = _hD[j] * _h1[k];
                p.DDeltaSource[(i * s + j) * d + k] = d2 * hh + d1 * _hDk[j * d + k];
                eDk[j * d + k] = d3 * hh + d2 * _hDk[j * d + k];
            }
        }

        for (int k = 0; k < top; k++)
        {
            for (int k2 = 0; k2 < top; k2++)
            {
                double hh = _h1[k] * _h1[k2];
                double h2 = _h2[k * d + k2];
                p.D2[(i * d + k) * d + k2] = d2 * hh + d1 * h2;
                e2[k * d + k2] = d3 * hh + d2 * h2;
                for (int k3 = 0; k3 < top; k3++)
                {
                    double hhh = hh * _h1[k3];
                    double mixed = h2 * _h1[k3] + _h2[k * d + k3] * _h1[k2] + _h2[k2 * d + k3] * _h1[k];
                    double h3 = _h3[(k * d + k2) * d + k3];
                    p.D3[((i * d + k) * d + k2) * d + k3] = d3 * hhh + d2 * mixed + d1 * h3;
                    e3[(k * d + k2) * d + k3] = d4 * hhh + d3 * mixed + d2 * h3;
                }
            }
        }
    }

    // Derivatives of z(i) = r(i) + j_z(i) + sum_{m < end} Kz(i, m) phi(m), end the first position after i's step (the
    // equal-time B block included); Delta(j) enters through Kz(i, j) = ... + c Delta(j) G^{l+1}(i, j) for j < start.
    private void BackwardDerivatives(int i, int start)
    {
        int s = _s, d = _d, end = start + _p, top = _f * end, row = i * s, rowD = i * d;
        double[] kz = _equation.BackwardMemory, kernel = _equation.BackwardKernel;
        double c = _equation.C;
        Field p = Phi, z = Z;
        int source = _equation.Active.Of(SourceFamily.Backward, i);
        for (int k = 0; k < top; k++)
        {
            double sum = k == source ? 1 : 0;
            for (int m = FirstReached(k); m < end; m++)
            {
                sum += kz[row + m] * p.D1[m * d + k];
            }

            z.D1[rowD + k] = sum;
        }

        for (int j = 0; j < start; j++)
        {
            double sum = c * kernel[row + j] * p.Value[j];
            for (int m = _equation.StepEnd(j); m < end; m++)
            {
                sum += kz[row + m] * p.DDelta[m * s + j];
            }

            z.DDelta[row + j] = sum;
            for (int k = 0; k < top; k++)
            {
                double mixed = c * kernel[row + j] * p.D1[j * d + k];
                for (int m = Math.Max(_equation.StepEnd(j), FirstReached(k)); m < end; m++)
                {
                    mixed += kz[row + m] * p.DDeltaSource[(m * s + j) * d + k];
                }

                z.DDeltaSource[(row + j) * d + k] = mixed;
            }
        }

        ClearSecond(z.D2, top, rowD * d);
        ClearThird(z.D3, top, rowD * d * d);
        for (int m = 0; m < end; m++)
        {
            AddLive(kz[row + m], p.D2, p.D3, m, z.D2, z.D3, rowD);
        }
    }

    // g = e z with e = phi'(h) (its derivatives in block i - start of the scratch): the product rule to third order and
    // in the mixed (Delta, source) direction.
    private void GradientDerivatives(int i, int start, double e, double zn)
    {
        int s = _s, d = _d, top = _f * (start + _p), row = i * s, rowD = i * d, slot = i - start;
        ReadOnlySpan<double> e1 = _e1.AsSpan(slot * d, d), eD = _eD.AsSpan(slot * s, s), e2 = _e2.AsSpan(slot * d * d, d * d);
        ReadOnlySpan<double> eDk = _eDk.AsSpan(slot * s * d, s * d), e3 = _e3.AsSpan(slot * d * d * d, d * d * d);
        Field g = Gradient, z = Z;
        g.Value[i] = e * zn;
        for (int k = 0; k < top; k++)
        {
            g.D1[rowD + k] = e1[k] * zn + e * z.D1[rowD + k];
        }

        for (int j = 0; j < start; j++)
        {
            g.DDelta[row + j] = eD[j] * zn + e * z.DDelta[row + j];
            for (int k = 0; k < top; k++)
            {
                g.DDeltaSource[(row + j) * d + k] = eDk[j * d + k] * zn + eD[j] * z.D1[rowD + k]
                    + e1[k] * z.DDelta[row + j] + e * z.DDeltaSource[(row + j) * d + k];
            }
        }

        for (int k = 0; k < top; k++)
        {
            for (int k2 = 0; k2 < top; k2++)
            {
                g.D2[(rowD + k) * d + k2] = e2[k * d + k2] * zn + e1[k] * z.D1[rowD + k2] + e1[k2] * z.D1[rowD + k] + e * z.D2[(rowD + k) * d + k2];
                for (int k3 = 0; k3 < top; k3++)
                {
                    g.D3[((rowD + k) * d + k2) * d + k3] = e3[(k * d + k2) * d + k3] * zn
                        + e2[k * d + k2] * z.D1[rowD + k3] + e2[k * d + k3] * z.D1[rowD + k2] + e2[k2 * d + k3] * z.D1[rowD + k]
                        + e1[k] * z.D2[(rowD + k2) * d + k3] + e1[k2] * z.D2[(rowD + k) * d + k3] + e1[k3] * z.D2[(rowD + k) * d + k2]
                        + e * z.D3[((rowD + k) * d + k2) * d + k3];
                }
            }
        }
    }

    /// <summary>One site quantity over positions with its derivatives (layout in <see cref="SiteJet{TActivation}"/>): S positions, d directions.</summary>
    internal sealed class Field(int s, int d)
    {
        public double[] Value { get; } = new double[s];

        public double[] D1 { get; } = new double[s * d];

        public double[] D2 { get; } = new double[s * d * d];

        public double[] D3 { get; } = new double[s * d * d * d];

        public double[] DDelta { get; } = new double[s * s];

        public double[] DDeltaSource { get; } = new double[s * s * d];
    }
}
