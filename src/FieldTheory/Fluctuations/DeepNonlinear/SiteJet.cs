using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// One sample path of a layer's site (<see cref="LayerEquation"/>) with its pathwise forward-mode derivatives
/// (DESIGN.md 4.5): to third order with respect to the active additive sources (d = F S directions, F families, indexed
/// by <see cref="SourceDirections"/>; a middle layer has both j_h and j_z, so its jets include every mixed derivative),
/// and mixed second order with respect to Delta(j) and a source direction. A response-field insertion is a derivative
/// with respect to j (rho for j_z, sigma for j_h), so these are all the site moments the propagator needs. Stored for
/// phi(h), g and z over time: X[n], X1[n, k], X2[n, k, k'], X3[n, k, k', k''], XD[n, j] = dX(n)/dDelta(j),
/// XDk[n, j, k] (row-major; step and Delta indices run over S, direction indices over d).
/// Causality: every derivative at step n vanishes for directions of steps k &gt; n and Delta indices j &gt;= n, and those
/// entries are never written (they stay zero). One instance per thread; <see cref="Run"/> overwrites it.
/// </summary>
/// <remarks>
/// Memory: 8 (3 (S d^3 + S d^2 + S^2 d + S d + S^2 + S) + 2 (d^3 + d^2 + S d + d + S)) bytes per instance. Time: about
/// d^3 S^2 / 5 flops per third-order field (S^5 / 5 for one family, 8 S^5 / 5 for a middle layer).
/// </remarks>
internal sealed class SiteJet<TActivation>
    where TActivation : struct, IActivation
{
    private readonly LayerEquation _equation;
    private readonly int _s, _d, _f;

    // Scratch for the current step: derivatives of h and of e = phi'(h).
    private readonly double[] _h1, _hD, _h2, _hDk, _h3;
    private readonly double[] _e1, _eD, _e2, _eDk, _e3;

    public SiteJet(LayerEquation equation)
    {
        _equation = equation;
        int s = equation.Size;
        _s = s;
        _f = equation.Active.Families;
        int d = _f * s;
        _d = d;
        Phi = new Field(s, d);
        Gradient = new Field(s, d);
        Z = new Field(s, d);
        _h1 = new double[d];
        _hD = new double[s];
        _h2 = new double[d * d];
        _hDk = new double[s * d];
        _h3 = new double[d * d * d];
        _e1 = new double[d];
        _eD = new double[s];
        _e2 = new double[d * d];
        _eDk = new double[s * d];
        _e3 = new double[d * d * d];
    }

    /// <summary>phi(h(n)) and its derivatives.</summary>
    public Field Phi { get; }

    /// <summary>g(n) = phi'(h(n)) z(n) and its derivatives.</summary>
    public Field Gradient { get; }

    /// <summary>z(n) and its derivatives.</summary>
    public Field Z { get; }

    /// <summary>
    /// Integrates the path for sources <paramref name="u"/>, <paramref name="r"/> (length S). Without
    /// <paramref name="withDerivatives"/> only the values are computed (the field samples of kappa's plain block).
    /// </summary>
    public void Run(ReadOnlySpan<double> u, ReadOnlySpan<double> r, bool withDerivatives)
    {
        int s = _s;
        double[] kh = _equation.FeatureMemory, kz = _equation.BackwardMemory;
        double[] p = Phi.Value, g = Gradient.Value, z = Z.Value;
        for (int n = 0; n < s; n++)
        {
            int row = n * s;
            double h = u[n];
            for (int m = 0; m < n; m++)
            {
                h += kh[row + m] * g[m];
            }

            if (!withDerivatives)
            {
                ActivationJet value = default(TActivation).Jet(h);
                p[n] = value.Value;
                double zv = r[n];
                for (int m = 0; m <= n; m++)
                {
                    zv += kz[row + m] * p[m];
                }

                z[n] = zv;
                g[n] = value.D1 * zv;
                continue;
            }

            ForwardDerivatives(n);
            ActivationJet jet = default(TActivation).Jet(h);
            double d4 = FourthDerivative(h);
            p[n] = jet.Value;
            PhiDerivatives(n, jet, d4);

            double zn = r[n];
            for (int m = 0; m <= n; m++)
            {
                zn += kz[row + m] * p[m];
            }

            z[n] = zn;
            BackwardDerivatives(n);
            GradientDerivatives(n, jet.D1, zn);
        }
    }

    // phi'''' by a central difference of the generated phi''' (relative error about 1e-8 for smooth activations).
    private static double FourthDerivative(double h)
    {
        double step = 1e-4 * Math.Max(1, Math.Abs(h));
        return (default(TActivation).Jet(h + step).D3 - default(TActivation).Jet(h - step).D3) / (2 * step);
    }

    // Derivatives of h(n) = u(n) + j_h(n) + sum_{m<n} Kh(n, m) g(m); Delta(j) enters through Kh(n, j) = ... + c Delta(j) Phi^{l-1}(n, j).
    // A derivative of g(m) in direction k vanishes for m < k / F (the step of k), which bounds every sum over m.
    private void ForwardDerivatives(int n)
    {
        int s = _s, d = _d, f = _f, top = f * (n + 1), row = n * s;
        double[] kh = _equation.FeatureMemory, kernel = _equation.FeatureKernel;
        double c = _equation.C;
        Field g = Gradient;
        int source = _equation.Active.Of(SourceFamily.Feature, n);
        for (int k = 0; k < top; k++)
        {
            double sum = k == source ? 1 : 0;
            for (int m = k / f; m < n; m++)
            {
                sum += kh[row + m] * g.D1[m * d + k];
            }

            _h1[k] = sum;
        }

        for (int j = 0; j < n; j++)
        {
            double sum = c * kernel[row + j] * g.Value[j];
            for (int m = j + 1; m < n; m++)
            {
                sum += kh[row + m] * g.DDelta[m * s + j];
            }

            _hD[j] = sum;
        }

        // Second and third order: the sums over m run outermost so that the inner loops are contiguous; for each entry
        // the terms are added in ascending m from zero, over exactly the m whose directions are live (k < F (m + 1)).
        ClearSecond(_h2, top, 0);
        ClearThird(_h3, top, 0);
        for (int m = 0; m < n; m++)
        {
            AddLive(kh[row + m], g.D2, g.D3, m, _h2, _h3, 0);
        }

        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < top; k++)
            {
                double sum = c * kernel[row + j] * g.D1[j * d + k];
                for (int m = Math.Max(j + 1, k / f); m < n; m++)
                {
                    sum += kh[row + m] * g.DDeltaSource[(m * s + j) * d + k];
                }

                _hDk[j * d + k] = sum;
            }
        }

    }

    // Zeroes the live block (every index below top) of a second derivative whose step row starts at offset.
    private void ClearSecond(double[] target, int top, int offset)
    {
        for (int k = 0; k < top; k++)
        {
            target.AsSpan(offset + k * _d, top).Clear();
        }
    }

    // Zeroes the live block of a third derivative whose step row starts at offset.
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

    // second += w X2[m], third += w X3[m] over the directions live at step m (k < F (m + 1)); offset is the row of the target step (0 for scratch).
    private void AddLive(double w, double[] second, double[] third, int m, double[] secondTarget, double[] thirdTarget, int offset)
    {
        int d = _d, live = _f * (m + 1);
        for (int k = 0; k < live; k++)
        {
            SpanMath.AddScaled(w, second.AsSpan((m * d + k) * d, live), secondTarget.AsSpan(offset * d + k * d, live));
            for (int k2 = 0; k2 < live; k2++)
            {
                SpanMath.AddScaled(w, third.AsSpan(((m * d + k) * d + k2) * d, live), thirdTarget.AsSpan((offset * d + k * d + k2) * d, live));
            }
        }
    }

    // Faa di Bruno for phi(h) and for e = phi'(h), from the derivatives of h at step n.
    private void PhiDerivatives(int n, ActivationJet jet, double d4)
    {
        int s = _s, d = _d, top = _f * (n + 1);
        double d1 = jet.D1, d2 = jet.D2, d3 = jet.D3;
        Field p = Phi;
        for (int k = 0; k < top; k++)
        {
            p.D1[n * d + k] = d1 * _h1[k];
            _e1[k] = d2 * _h1[k];
        }

        for (int j = 0; j < n; j++)
        {
            p.DDelta[n * s + j] = d1 * _hD[j];
            _eD[j] = d2 * _hD[j];
            for (int k = 0; k < top; k++)
            {
                double hh = _hD[j] * _h1[k];
                p.DDeltaSource[(n * s + j) * d + k] = d2 * hh + d1 * _hDk[j * d + k];
                _eDk[j * d + k] = d3 * hh + d2 * _hDk[j * d + k];
            }
        }

        for (int k = 0; k < top; k++)
        {
            for (int k2 = 0; k2 < top; k2++)
            {
                double hh = _h1[k] * _h1[k2];
                double h2 = _h2[k * d + k2];
                p.D2[(n * d + k) * d + k2] = d2 * hh + d1 * h2;
                _e2[k * d + k2] = d3 * hh + d2 * h2;
                for (int k3 = 0; k3 < top; k3++)
                {
                    double hhh = hh * _h1[k3];
                    double mixed = h2 * _h1[k3] + _h2[k * d + k3] * _h1[k2] + _h2[k2 * d + k3] * _h1[k];
                    double h3 = _h3[(k * d + k2) * d + k3];
                    p.D3[((n * d + k) * d + k2) * d + k3] = d3 * hhh + d2 * mixed + d1 * h3;
                    _e3[(k * d + k2) * d + k3] = d4 * hhh + d3 * mixed + d2 * h3;
                }
            }
        }
    }

    // Derivatives of z(n) = r(n) + j_z(n) + sum_{m<=n} Kz(n, m) phi(m); Delta(j) enters through Kz(n, j) = ... + c Delta(j) G^{l+1}(n, j).
    private void BackwardDerivatives(int n)
    {
        int s = _s, d = _d, f = _f, top = f * (n + 1), row = n * s, rowD = n * d;
        double[] kz = _equation.BackwardMemory, kernel = _equation.BackwardKernel;
        double c = _equation.C;
        Field p = Phi, z = Z;
        int source = _equation.Active.Of(SourceFamily.Backward, n);
        for (int k = 0; k < top; k++)
        {
            double sum = k == source ? 1 : 0;
            for (int m = k / f; m <= n; m++)
            {
                sum += kz[row + m] * p.D1[m * d + k];
            }

            z.D1[rowD + k] = sum;
        }

        for (int j = 0; j < n; j++)
        {
            double sum = c * kernel[row + j] * p.Value[j];
            for (int m = j + 1; m <= n; m++)
            {
                sum += kz[row + m] * p.DDelta[m * s + j];
            }

            z.DDelta[row + j] = sum;
            for (int k = 0; k < top; k++)
            {
                double mixed = c * kernel[row + j] * p.D1[j * d + k];
                for (int m = Math.Max(j + 1, k / f); m <= n; m++)
                {
                    mixed += kz[row + m] * p.DDeltaSource[(m * s + j) * d + k];
                }

                z.DDeltaSource[(row + j) * d + k] = mixed;
            }
        }

        ClearSecond(z.D2, top, rowD * d);
        ClearThird(z.D3, top, rowD * d * d);
        for (int m = 0; m <= n; m++)
        {
            AddLive(kz[row + m], p.D2, p.D3, m, z.D2, z.D3, rowD);
        }
    }

    // g = e z with e = phi'(h): the product rule to third order and in the mixed (Delta, source) direction.
    private void GradientDerivatives(int n, double e, double zn)
    {
        int s = _s, d = _d, top = _f * (n + 1), row = n * s, rowD = n * d;
        Field g = Gradient, z = Z;
        g.Value[n] = e * zn;
        for (int k = 0; k < top; k++)
        {
            g.D1[rowD + k] = _e1[k] * zn + e * z.D1[rowD + k];
        }

        for (int j = 0; j < n; j++)
        {
            g.DDelta[row + j] = _eD[j] * zn + e * z.DDelta[row + j];
            for (int k = 0; k < top; k++)
            {
                g.DDeltaSource[(row + j) * d + k] = _eDk[j * d + k] * zn + _eD[j] * z.D1[rowD + k]
                    + _e1[k] * z.DDelta[row + j] + e * z.DDeltaSource[(row + j) * d + k];
            }
        }

        for (int k = 0; k < top; k++)
        {
            for (int k2 = 0; k2 < top; k2++)
            {
                g.D2[(rowD + k) * d + k2] = _e2[k * d + k2] * zn + _e1[k] * z.D1[rowD + k2] + _e1[k2] * z.D1[rowD + k] + e * z.D2[(rowD + k) * d + k2];
                for (int k3 = 0; k3 < top; k3++)
                {
                    g.D3[((rowD + k) * d + k2) * d + k3] = _e3[(k * d + k2) * d + k3] * zn
                        + _e2[k * d + k2] * z.D1[rowD + k3] + _e2[k * d + k3] * z.D1[rowD + k2] + _e2[k2 * d + k3] * z.D1[rowD + k]
                        + _e1[k] * z.D2[(rowD + k2) * d + k3] + _e1[k2] * z.D2[(rowD + k) * d + k3] + _e1[k3] * z.D2[(rowD + k) * d + k2]
                        + e * z.D3[((rowD + k) * d + k2) * d + k3];
                }
            }
        }
    }

    /// <summary>One site quantity over time with its derivatives (layout in <see cref="SiteJet{TActivation}"/>): S steps, d directions.</summary>
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
