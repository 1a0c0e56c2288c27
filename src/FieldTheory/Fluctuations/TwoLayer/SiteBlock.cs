using System.Runtime.InteropServices;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// <c>TLanes.Count</c> sites of a two-layer network side by side in SIMD lanes (DESIGN.md 3.1, 4.2): their recorded
/// path (phi, phi', phi'' at every point and w, at every step), their observables, and the forward-mode tangents of
/// <see cref="SensitivityPass"/>. Lanes past the end of a site range repeat its last site with weight zero. One
/// block per worker; every array is reused from block to block.
/// </summary>
internal sealed partial class SiteBlock<TLanes>
    where TLanes : struct, ILanes<TLanes>
{
    private readonly SiteSystem _system;
    private readonly bool _simdActivation;
    private readonly ObservableLayout _layout;
    private double[] _delta;
    private readonly int _q;
    private readonly int _p;
    private readonly int _fields;

    /// <summary>Site weights (zero in padding lanes).</summary>
    private readonly TLanes[] _weight = new TLanes[1];

    /// <summary>The path, [n][field] with fields phi[Q], phi'[Q], phi''[Q], w.</summary>
    private readonly TLanes[] _path;

    /// <summary>Every observable of the layout, [row].</summary>
    private readonly TLanes[] _observables;

    /// <summary>The replay's state, lane-major [mu][lane]: h, w, w(0) and phi(h(0)).</summary>
    private readonly double[] _h;
    private readonly double[] _w;
    private readonly double[] _w0;
    private readonly double[] _phi0;

    /// <summary>weight O_r^2 of up to Count rows, before their lane sums.</summary>
    private readonly TLanes[] _squares = new TLanes[TLanes.Count];

    /// <summary>weight O_r, [row].</summary>
    private readonly TLanes[] _weightedObservables;

    /// <summary>O_f of every order-parameter column, lane-major [lane][column], for the products with O_f.</summary>
    private readonly double[] _orderParameters;

    /// <summary>Tangents of every direction j = (a, m) (time-major, as the columns): dh [j][mu], then dw [j].</summary>
    private readonly TLanes[] _tangentH;
    private readonly TLanes[] _tangentW;

    /// <summary>Per step: the drive sum_b K^x_{mu b} Delta_b phi'_b [mu], Delta_b phi'_b and Delta_b phi''_b [b].</summary>
    private readonly TLanes[] _drive;
    private readonly TLanes[] _slope;
    private readonly TLanes[] _curvature;
    private readonly TLanes[] _bend;

    /// <summary>One or two rows' tangents over the live directions, [j], before their lane sums.</summary>
    private readonly TLanes[] _rowValues;
    private readonly TLanes[] _secondRowValues;

    /// <summary>Per step: K^x_{mu b} Delta_b phi''_b, [b][mu].</summary>
    private readonly TLanes[] _curvatureByPoint;

    /// <summary>Whether this block can be reused for <paramref name="system"/> with <paramref name="simdActivation"/>.</summary>
    public bool Serves(SiteSystem system, bool simdActivation) => ReferenceEquals(system, _system) && simdActivation == _simdActivation;

    /// <summary>Replays later blocks along <paramref name="delta"/> (the next group's trajectory); every other buffer is per block of sites.</summary>
    public void Follow(double[] delta) => _delta = delta;

    /// <summary>
    /// A block over <paramref name="system"/>'s sites along <paramref name="delta"/>; with <paramref name="simdActivation"/>
    /// phi, phi' and phi'' come from the activation's generated SIMD form (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes, out TLanes)"/>)
    /// instead of its scalar jet lane by lane.
    /// </summary>
    public SiteBlock(SiteSystem system, double[] delta, bool simdActivation = false)
    {
        _simdActivation = simdActivation;
        _system = system;
        _layout = system.Layout;
        _delta = delta;
        _q = _layout.Points;
        _p = _layout.Train;
        _fields = (3 * _q) + 1;
        _path = new TLanes[(_layout.Steps + 1) * _fields];
        _observables = new TLanes[_layout.Rows];
        _h = new double[_q * TLanes.Count];
        _w = new double[TLanes.Count];
        _w0 = new double[TLanes.Count];
        _phi0 = new double[_q * TLanes.Count];
        _weightedObservables = new TLanes[_layout.Rows];
        _orderParameters = new double[TLanes.Count * _layout.Columns];
        _tangentH = new TLanes[_layout.Columns * _q];
        _tangentW = new TLanes[_layout.Columns];
        _drive = new TLanes[_q];
        _slope = new TLanes[_p];
        _curvature = new TLanes[_p];
        _bend = new TLanes[_q];
        _curvatureByPoint = new TLanes[_q * _p];
        _rowValues = new TLanes[_layout.Columns];
        _secondRowValues = new TLanes[_layout.Columns];
    }

    /// <summary>Replays the sites [start, end) (at most <c>TLanes.Count</c>) along Delta and records path and observables.</summary>
    public void Record<TActivation>(int start, int end)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        int lanes = TLanes.Count;
        int q = _q;
        int p = _p;
        Span<double> weight = Lanes(_weight);
        double[] h = _h;
        double[] w = _w;
        double[] w0 = _w0;
        double[] phi0 = _phi0;
        for (int lane = 0; lane < lanes; lane++)
        {
            int site = Math.Min(start + lane, end - 1);
            weight[lane] = start + lane < end ? _system.Rule.Weights[site] : 0.0;
            for (int mu = 0; mu < q; mu++)
            {
                h[(mu * lanes) + lane] = _system.InitialH[(site * q) + mu];
            }

            w[lane] = w0[lane] = _system.InitialW[site];
        }

        TLanes inverseGamma = TLanes.Create(1.0 / _system.Problem.Gamma0);
        bool centered = _system.Problem.Centered;
        TLanes step = TLanes.Create(_system.StepScale);
        double[] kx = _system.Gram;
        double[] kxTrain = _system.GramToTrain;
        Span<double> path = Lanes(_path);
        Span<double> observables = Lanes(_observables);
        for (int n = 0; n <= _layout.Steps; n++)
        {
            Span<double> at = path.Slice(n * _fields * lanes, _fields * lanes);
            for (int mu = 0; mu < q; mu++)
            {
                if (_simdActivation)
                {
                    TActivation.Lanes(TLanes.Load(ref h[mu * lanes], 0), out TLanes value, out TLanes slope, out TLanes curvature);
                    value.Store(ref at[mu * lanes], 0);
                    slope.Store(ref at[(q + mu) * lanes], 0);
                    curvature.Store(ref at[((2 * q) + mu) * lanes], 0);
                }
                else
                {
                    for (int lane = 0; lane < lanes; lane++)
                    {
                        ActivationJet jet = activation.Jet(h[(mu * lanes) + lane]);
                        at[(mu * lanes) + lane] = jet.Value;
                        at[((q + mu) * lanes) + lane] = jet.D1;
                        at[(((2 * q) + mu) * lanes) + lane] = jet.D2;
                    }
                }

                if (n == 0)
                {
                    at.Slice(mu * lanes, lanes).CopyTo(phi0.AsSpan(mu * lanes, lanes));
                }
            }

            w.CopyTo(at.Slice(3 * q * lanes, lanes));
            TLanes wv = TLanes.Load(ref w[0], 0);
            int row = _layout.Row(n, 0);
            for (int mu = 0; mu < q; mu++)
            {
                TLanes output = wv * TLanes.Load(ref at[mu * lanes], 0);
                if (centered)
                {
                    output -= TLanes.Load(ref w0[0], 0) * TLanes.Load(ref phi0[mu * lanes], 0);
                }

                (output * inverseGamma).Store(ref observables[(row + mu) * lanes], 0);
            }

            for (int k = 0; _layout.HasKernels(n) && k < _layout.Pairs; k++)
            {
                int mu = _layout.PairFirst[k];
                int nu = _layout.PairSecond[k];
                TLanes phiPhi = TLanes.Load(ref at[mu * lanes], 0) * TLanes.Load(ref at[nu * lanes], 0);
                TLanes slopes = TLanes.Load(ref at[(q + mu) * lanes], 0) * TLanes.Load(ref at[(q + nu) * lanes], 0);
                phiPhi.Store(ref observables[(row + _layout.FeatureOffset + k) * lanes], 0);
                (phiPhi + (TLanes.Create(kx[(mu * q) + nu]) * wv * wv * slopes)).Store(ref observables[(row + _layout.NtkOffset + k) * lanes], 0);
            }

            if (n == _layout.Steps)
            {
                break;
            }

            // The site update of DESIGN.md 3.1 with the old (h, w): h_mu += c w sum_a K^x_{mu a} Delta_a phi'_a, w += c sum_a Delta_a phi_a.
            ReadOnlySpan<double> d = _delta.AsSpan(n * p, p);
            TLanes dw = TLanes.Zero;
            for (int a = 0; a < p; a++)
            {
                dw += TLanes.Create(d[a]) * TLanes.Load(ref at[a * lanes], 0);
            }

            for (int mu = 0; mu < q; mu++)
            {
                TLanes field = TLanes.Zero;
                for (int a = 0; a < p; a++)
                {
                    field += TLanes.Create(kxTrain[(mu * p) + a] * d[a]) * TLanes.Load(ref at[(q + a) * lanes], 0);
                }

                (TLanes.Load(ref h[mu * lanes], 0) + (step * wv * field)).Store(ref h[mu * lanes], 0);
            }

            (wv + (step * dw)).Store(ref w[0], 0);
        }

        int columns = _layout.Columns;
        for (int j = 0; j < columns; j++)
        {
            int row = _layout.RowOfColumn(j);
            for (int lane = 0; lane < lanes; lane++)
            {
                _orderParameters[(lane * columns) + j] = observables[(row * lanes) + lane];
            }
        }
    }

    /// <summary>
    /// Adds the weighted &lt;O_r&gt; and &lt;O_r^2&gt; of the recorded sites, and hands their weighted observables and
    /// order parameters to <paramref name="cross"/> for &lt;O_r O_f,j&gt;.
    /// </summary>
    public void AddMoments(SiteMoments moments, CrossProducts<TLanes> cross)
    {
        WeighObservables(moments.Mean, moments.Second, _weightedObservables);
        cross.Add(_weightedObservables, _orderParameters, moments.Cross);
    }

    /// <summary>
    /// As <see cref="AddMoments"/> for a chunk filled in parallel: the block's own &lt;O_r&gt; and &lt;O_r^2&gt; into
    /// <paramref name="mean"/> and <paramref name="second"/> (overwritten), its factors into slot
    /// <paramref name="slot"/> of <paramref name="cross"/>.
    /// </summary>
    public void PutMoments(Span<double> mean, Span<double> second, CrossProducts<TLanes> cross, int slot)
    {
        mean.Clear();
        second.Clear();
        WeighObservables(mean, second, cross.LeftFactors(slot));
        _orderParameters.CopyTo(cross.RightFactors(slot));
    }

    // mean[r] += the lane sum of weight O_r, second[r] += that of weight O_r^2, Count rows per transposing reduction;
    // weight O_r into `weighted` for the cross products.
    private void WeighObservables(Span<double> mean, Span<double> second, Span<TLanes> weighted)
    {
        TLanes weight = _weight[0];
        int rows = _layout.Rows;
        Span<TLanes> squares = _squares;
        int r = 0;
        for (; r + TLanes.Count <= rows; r += TLanes.Count)
        {
            for (int k = 0; k < TLanes.Count; k++)
            {
                TLanes o = _observables[r + k];
                TLanes wo = weight * o;
                weighted[r + k] = wo;
                squares[k] = wo * o;
            }

            AddLaneSums(mean.Slice(r, TLanes.Count), weighted.Slice(r, TLanes.Count));
            AddLaneSums(second.Slice(r, TLanes.Count), squares);
        }

        for (; r < rows; r++)
        {
            TLanes o = _observables[r];
            TLanes wo = weight * o;
            mean[r] += wo.Sum();
            second[r] += (wo * o).Sum();
            weighted[r] = wo;
        }
    }

    /// <summary>
    /// Adds d&lt;O_r&gt;/dDelta_j of the recorded sites for every row r at step n and every direction j = (a, m) with
    /// m &lt; n: all live tangents are marched together, step by step, and each row's tangents over j are lane-summed
    /// eight (or four) directions at a time into the row-major Jacobian.
    /// </summary>
    public void AddSensitivities(SiteMoments moments)
    {
        int q = _q;
        int p = _p;
        int steps = _layout.Steps;
        int columns = _layout.Columns;
        TLanes inverseGamma = TLanes.Create(1.0 / _system.Problem.Gamma0);
        double[] jacobian = moments.Jacobian;
        for (int n = 0; n <= steps; n++)
        {
            int at = n * _fields;
            int live = n * p;
            TLanes w = _path[at + (3 * q)];
            int row = _layout.Row(n, 0);
            for (int mu = 0; mu < q && live > 0; mu++)
            {
                // d O_mu = (dw phi_mu + w phi'_mu dh_mu) / gamma0.
                TLanes byW = _path[at + mu] * inverseGamma;
                TLanes byH = w * _path[at + q + mu] * inverseGamma;
                for (int j = 0; j < live; j++)
                {
                    _rowValues[j] = TLanes.FusedMultiplyAdd(byH, _tangentH[(j * q) + mu], _tangentW[j] * byW);
                }

                AddLaneSums(jacobian.AsSpan((row + mu) * columns, live), _rowValues.AsSpan(0, live));
            }

            if (live > 0 && _layout.HasKernels(n))
            {
                AddKernelSensitivities(jacobian, row, live, at, w);
            }

            if (n < steps)
            {
                Advance(n, at, w, live);
            }
        }
    }

    // target[j] += the lane sum of values[j], Count directions per transposing reduction.
    private static void AddLaneSums(Span<double> target, ReadOnlySpan<TLanes> values)
    {
        int lanes = TLanes.Count;
        ref double start = ref MemoryMarshal.GetReference(target);
        int j = 0;
        for (; j + lanes <= values.Length; j += lanes)
        {
            (TLanes.Load(ref start, (nuint)j) + TLanes.SumEach(values.Slice(j, lanes))).Store(ref start, (nuint)j);
        }

        for (; j < values.Length; j++)
        {
            target[j] += values[j].Sum();
        }
    }

    // d Phi_{mu nu} = phi'_mu dh_mu phi_nu + phi_mu phi'_nu dh_nu; the NTK adds
    // K^x_{mu nu} [2 w dw phi'_mu phi'_nu + w^2 (phi''_mu dh_mu phi'_nu + phi'_mu phi''_nu dh_nu)].
    private void AddKernelSensitivities(double[] jacobian, int row, int live, int at, TLanes w)
    {
        int q = _q;
        int columns = _layout.Columns;
        Span<TLanes> features = _rowValues.AsSpan(0, live);
        Span<TLanes> ntks = _secondRowValues.AsSpan(0, live);
        for (int k = 0; k < _layout.Pairs; k++)
        {
            int mu = _layout.PairFirst[k];
            int nu = _layout.PairSecond[k];
            PairGradient gradient = KernelGradient(k, at, w);
            for (int j = 0; j < live; j++)
            {
                TLanes dhMu = _tangentH[(j * q) + mu];
                TLanes dhNu = _tangentH[(j * q) + nu];
                TLanes feature = (gradient.ByHMu * dhMu) + (gradient.ByHNu * dhNu);
                features[j] = feature;
                ntks[j] = feature + (gradient.NtkByW * _tangentW[j]) + (gradient.NtkByHMu * dhMu) + (gradient.NtkByHNu * dhNu);
            }

            AddLaneSums(jacobian.AsSpan((row + _layout.FeatureOffset + k) * columns, live), features);
            AddLaneSums(jacobian.AsSpan((row + _layout.NtkOffset + k) * columns, live), ntks);
        }
    }

    // The state gradient of pair k's kernel rows at the recorded step `at`, shared by the replay and the factored form:
    // d Phi_{mu nu} = phi'_mu phi_nu dh_mu + phi_mu phi'_nu dh_nu; the NTK adds
    // K^x_{mu nu} [2 w phi'_mu phi'_nu dw + w^2 (phi''_mu phi'_nu dh_mu + phi'_mu phi''_nu dh_nu)].
    private PairGradient KernelGradient(int k, int at, TLanes w)
    {
        int q = _q;
        int mu = _layout.PairFirst[k];
        int nu = _layout.PairSecond[k];
        TLanes phiMu = _path[at + mu];
        TLanes phiNu = _path[at + nu];
        TLanes slopeMu = _path[at + q + mu];
        TLanes slopeNu = _path[at + q + nu];
        TLanes kmn = TLanes.Create(_system.Gram[(mu * q) + nu]);
        TLanes w2 = w * w;
        return new PairGradient(
            slopeMu * phiNu,
            phiMu * slopeNu,
            kmn * w2 * _path[at + (2 * q) + mu] * slopeNu,
            kmn * w2 * slopeMu * _path[at + (2 * q) + nu],
            kmn * TLanes.Create(2.0) * w * slopeMu * slopeNu);
    }

    /// <summary>Coefficients of dh_mu, dh_nu in d Phi_{mu nu}, and of dh_mu, dh_nu, dw in what the NTK adds to it.</summary>
    private readonly record struct PairGradient(TLanes ByHMu, TLanes ByHNu, TLanes NtkByHMu, TLanes NtkByHNu, TLanes NtkByW);

    // The linearised site update from step n to n + 1 for the live tangents (see SensitivityPass), then the P
    // directions born at step n + 1 (weighted by the site weights).
    private void Advance(int n, int at, TLanes w, int live)
    {
        int q = _q;
        int p = _p;
        double[] kxTrain = _system.GramToTrain;
        TLanes c = TLanes.Create(_system.StepScale);
        ReadOnlySpan<double> d = _delta.AsSpan(n * p, p);
        for (int b = 0; b < p; b++)
        {
            TLanes error = TLanes.Create(d[b]);
            _slope[b] = error * _path[at + q + b];
            _curvature[b] = error * _path[at + (2 * q) + b];
        }

        for (int mu = 0; mu < q; mu++)
        {
            TLanes field = TLanes.Zero;
            for (int b = 0; b < p; b++)
            {
                field = TLanes.FusedMultiplyAdd(TLanes.Create(kxTrain[(mu * p) + b]), _slope[b], field);
            }

            _drive[mu] = c * field;
            for (int b = 0; b < p; b++)
            {
                _curvatureByPoint[(b * q) + mu] = c * w * TLanes.Create(kxTrain[(mu * p) + b]) * _curvature[b];
            }
        }

        for (int j = 0; j < live; j++)
        {
            // dh_mu += c [dw drive_mu + w sum_b K^x_{mu b} Delta_b phi''_b dh_b], dw += c sum_b Delta_b phi'_b dh_b.
            Span<TLanes> dh = _tangentH.AsSpan(j * q, q);
            TLanes dw = _tangentW[j];
            Span<TLanes> bends = _bend.AsSpan(0, q);
            TLanes dwChange = TLanes.Zero;
            for (int mu = 0; mu < q; mu++)
            {
                bends[mu] = dw * _drive[mu];
            }

            for (int b = 0; b < p; b++)
            {
                TLanes dhb = dh[b];
                dwChange = TLanes.FusedMultiplyAdd(_slope[b], dhb, dwChange);
                ReadOnlySpan<TLanes> curvature = _curvatureByPoint.AsSpan(b * q, q);
                for (int mu = 0; mu < bends.Length; mu++)
                {
                    bends[mu] = TLanes.FusedMultiplyAdd(curvature[mu], dhb, bends[mu]);
                }
            }

            for (int mu = 0; mu < q; mu++)
            {
                dh[mu] += bends[mu];
            }

            _tangentW[j] = TLanes.FusedMultiplyAdd(c, dwChange, dw);
        }

        TLanes bornScale = c * _weight[0];
        for (int a = 0; a < p; a++)
        {
            int j = live + a;
            TLanes slope = bornScale * w * _path[at + q + a];
            for (int mu = 0; mu < q; mu++)
            {
                _tangentH[(j * q) + mu] = TLanes.Create(kxTrain[(mu * p) + a]) * slope;
            }

            _tangentW[j] = bornScale * _path[at + a];
        }
    }

    private static Span<double> Lanes(TLanes[] vectors) => MemoryMarshal.Cast<TLanes, double>(vectors.AsSpan());
}
