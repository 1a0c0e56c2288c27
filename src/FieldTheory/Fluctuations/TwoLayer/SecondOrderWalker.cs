namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Replays one site along Delta(n) + eps v_k(n) for K whole-trajectory directions v_k at once, carrying
/// (h, w) as <see cref="Dual2"/> numbers, and sums the observables' second derivatives over all directions but the
/// last, whose first derivative it keeps (the two ingredients of <see cref="MeanShift"/>). One walker per lane.
/// </summary>
internal sealed class SecondOrderWalker<TActivation>
    where TActivation : struct, IActivation
{
    private readonly SiteSystem _system;
    private readonly ObservableLayout _layout;
    private readonly int _directions;
    private readonly double[] _h;
    private readonly double[] _phi;
    private readonly double[] _d1;
    private readonly double[] _phi0;
    private readonly ActivationJet[] _jets;
    private readonly Dual2[] _th;
    private readonly Dual2[] _tw;
    private readonly Dual2[] _phiDual;
    private readonly Dual2[] _slopeDual;

    public SecondOrderWalker(SiteSystem system, int directions)
    {
        _system = system;
        _layout = system.Layout;
        _directions = directions;
        int q = _layout.Points;
        _h = new double[q];
        _phi = new double[q];
        _d1 = new double[q];
        _phi0 = new double[q];
        _jets = new ActivationJet[q];
        _th = new Dual2[directions * q];
        _tw = new Dual2[directions];
        _phiDual = new Dual2[q];
        _slopeDual = new Dual2[q];
        Observables = new double[_layout.Rows];
        SecondSum = new double[_layout.Rows];
        LastFirst = new double[_layout.Rows];
    }

    /// <summary>The site's observables from the last <see cref="Primal"/>.</summary>
    public double[] Observables { get; }

    /// <summary>sum over directions k &lt; K - 1 of d2 O_r[v_k, v_k], from the last <see cref="Tangents"/>.</summary>
    public double[] SecondSum { get; }

    /// <summary>d O_r[v_{K-1}], from the last <see cref="Tangents"/>.</summary>
    public double[] LastFirst { get; }

    /// <summary>The site's observables along <paramref name="delta"/>.</summary>
    public void Primal(int site, double[] delta) =>
        SiteAverage.Replay<TActivation>(_system, site, delta, Observables, _h, _phi, _d1, _phi0);

    /// <summary>Second-order tangents along the K directions (K x C, time-major columns).</summary>
    public void Tangents(int site, double[] delta, double[] directions)
    {
        TActivation activation = default;
        int q = _layout.Points;
        int p = _layout.Train;
        int columns = _layout.Columns;
        double c = _system.StepScale;
        double inverseGamma = 1.0 / _system.Problem.Gamma0;
        double[] kx = _system.Gram;
        double[] kxTrain = _system.GramToTrain;
        _system.InitialH.AsSpan(site * q, q).CopyTo(_h);
        double w = _system.InitialW[site];
        Array.Clear(_th);
        Array.Clear(_tw);
        Array.Clear(SecondSum);
        Array.Clear(LastFirst);
        for (int n = 0; n <= _layout.Steps; n++)
        {
            for (int mu = 0; mu < q; mu++)
            {
                _jets[mu] = activation.Jet(_h[mu]);
            }

            int row = _layout.Row(n, 0);
            for (int k = 0; k < _directions; k++)
            {
                bool last = k == _directions - 1;
                Dual2 wd = new Dual2(w, 0.0, 0.0) + _tw[k];
                for (int mu = 0; mu < q; mu++)
                {
                    Dual2 hd = new Dual2(_h[mu], 0.0, 0.0) + _th[(k * q) + mu];
                    ActivationJet jet = _jets[mu];
                    _phiDual[mu] = hd.Through(jet.Value, jet.D1, jet.D2);
                    _slopeDual[mu] = hd.Through(jet.D1, jet.D2, jet.D3);
                    Record(row + mu, inverseGamma * (wd * _phiDual[mu]), last);
                }

                Dual2 w2 = wd * wd;
                for (int pair = 0; _layout.HasKernels(n) && pair < _layout.Pairs; pair++)
                {
                    int mu = _layout.PairFirst[pair];
                    int nu = _layout.PairSecond[pair];
                    Dual2 phiPhi = _phiDual[mu] * _phiDual[nu];
                    Record(row + _layout.FeatureOffset + pair, phiPhi, last);
                    Record(row + _layout.NtkOffset + pair, phiPhi + (kx[(mu * q) + nu] * (w2 * (_slopeDual[mu] * _slopeDual[nu]))), last);
                }

                if (n == _layout.Steps)
                {
                    continue;
                }

                // One step of DESIGN.md 3.1 with Delta(n) + eps v(n), differentiated twice in eps.
                Dual2 dwSum = default;
                for (int b = 0; b < p; b++)
                {
                    Dual2 error = new(delta[(n * p) + b], directions[(k * columns) + _layout.Column(n, b)], 0.0);
                    dwSum += error * _phiDual[b];
                    _slopeDual[b] = error * _slopeDual[b];
                }

                for (int mu = 0; mu < q; mu++)
                {
                    Dual2 field = default;
                    for (int b = 0; b < p; b++)
                    {
                        field += kxTrain[(mu * p) + b] * _slopeDual[b];
                    }

                    Dual2 step = c * (wd * field);
                    _th[(k * q) + mu] += new Dual2(0.0, step.D, step.DD);
                }

                Dual2 wStep = c * dwSum;
                _tw[k] += new Dual2(0.0, wStep.D, wStep.DD);
            }

            if (n < _layout.Steps)
            {
                for (int mu = 0; mu < q; mu++)
                {
                    _phi[mu] = _jets[mu].Value;
                    _d1[mu] = _jets[mu].D1;
                }

                SiteUpdate.Advance(_h, ref w, _phi.AsSpan(0, p), _d1.AsSpan(0, p), delta.AsSpan(n * p, p), kxTrain, c);
            }
        }

        void Record(int r, Dual2 value, bool last)
        {
            if (last)
            {
                LastFirst[r] = value.D;
            }
            else
            {
                SecondSum[r] += value.DD;
            }
        }
    }
}
