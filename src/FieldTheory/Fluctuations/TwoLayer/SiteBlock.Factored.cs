namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The sensitivities of <see cref="AddSensitivities"/> in factored form (DESIGN.md 4.2), used when the site state
/// (h_1..h_Q, w) is small. A tangent with respect to Delta_a(m) is born at step m + 1 as b_a(m) and then multiplied by
/// the Jacobians M(n) of the linearised update, so with the transfer matrix Pi(n) = M(n - 1) ... M(0):
/// <code>
///   d O_r(n) / d Delta_a(m) = a_r(n)^T Pi(n) Pi(m + 1)^-1 b_a(m) = alpha_r(n) . beta_a(m)        (m &lt; n)
/// </code>
/// where a_r(n) is the gradient of O_r with respect to the state at step n. The site sums over every (r, a, m) are then
/// one causal matrix product with inner dimension (Q + 1) x sites (<see cref="CrossProducts{TLanes}"/> with
/// <see cref="ObservableLayout.CausalColumns"/>): O(R C (Q + 1) / 2) per site at the speed of a blocked product,
/// instead of O(T^2 Q P) tangent updates and O(R C) contractions. The factors lose about log10 ||Pi|| ||Pi^-1|| digits,
/// so a block with a larger bound than <see cref="FactoredConditionLimit"/> (or a singular step, c Delta w phi'' near -1)
/// is replayed instead; both give the same sums to rounding.
/// </summary>
internal sealed partial class SiteBlock<TLanes>
{
    /// <summary>Largest state dimension Q + 1 summed in factored form: beyond it the replay does fewer operations.</summary>
    public const int MaxFactoredState = 4;

    /// <summary>Largest max_n ||Pi(n)||_F max_m ||Pi(m)^-1||_F of a factored block (about 1e-10 relative error).</summary>
    public const double FactoredConditionLimit = 1e6;

    // Factored-form scratch, allocated on first use: Pi and Pi^-1, M(n), its elimination copy and inverse (D x D,
    // row-major), alpha [e][row] and beta [e][lane][column].
    private TLanes[]? _transfer;
    private TLanes[]? _transferInverse;
    private TLanes[]? _stepMatrix;
    private TLanes[]? _elimination;
    private TLanes[]? _stepInverse;
    private TLanes[]? _product;

    /// <summary>Whether sites of <paramref name="layout"/> have a state small enough for the factored form.</summary>
    public static bool Factors(ObservableLayout layout) => layout.Points + 1 <= MaxFactoredState;

    /// <summary>
    /// Writes the recorded sites' factors alpha_r(n), beta_a(m) into the inner entries [slot, slot + (Q + 1) Count) of
    /// <paramref name="products"/>, whose products are d&lt;O_r&gt;/dDelta_j; returns false, and writes factors whose
    /// products vanish, when the block's transfer matrices are too badly conditioned (the caller then replays the
    /// block with <see cref="AddSensitivities"/>).
    /// </summary>
    public bool PutFactors(CrossProducts<TLanes> products, int slot)
    {
        int d = _q + 1;
        Span<double> beta = products.RightFactors(slot, d);
        bool factored = ComputeFactors(products.LeftFactors(slot, d), beta);
        if (!factored)
        {
            beta.Clear();
        }

        return factored;
    }

    // alpha [e][row] and beta [e][lane][column] of the recorded sites, written in place (consecutive slots of a chunk
    // are consecutive in both layouts of CrossProducts); false when the conditioning bound is exceeded.
    private bool ComputeFactors(Span<TLanes> alpha, Span<double> beta)
    {
        int q = _q;
        int d = q + 1;
        int steps = _layout.Steps;
        if (_transfer is null || _transfer.Length != d * d)
        {
            _transfer = new TLanes[d * d];
            _transferInverse = new TLanes[d * d];
            _stepMatrix = new TLanes[d * d];
            _elimination = new TLanes[d * d];
            _stepInverse = new TLanes[d * d];
            _product = new TLanes[d * d];
        }

        int lanes = TLanes.Count;
        int columns = _layout.Columns;
        for (int a = 0; a < _p; a++)
        {
            // The columns of step T get no tangents (nothing is born after the last step).
            for (int entry = 0; entry < d * lanes; entry++)
            {
                beta[(entry * columns) + _layout.Column(steps, a)] = 0.0;
            }
        }

        TLanes[] transfer = _transfer!;
        TLanes[] inverse = _transferInverse!;
        SetIdentity(transfer, d);
        SetIdentity(inverse, d);
        TLanes largest = TLanes.Create(d);
        TLanes largestInverse = TLanes.Create(d);
        TLanes poison = TLanes.Zero; // NaN in a lane once any norm was NaN or infinite (x * 0 is NaN for both)
        for (int n = 0; n <= steps; n++)
        {
            int at = n * _fields;
            AddRowFactors(n, at, d, alpha);
            if (n == steps)
            {
                break;
            }

            StepMatrix(n, at, d);
            if (d == 2)
            {
                AdvanceTransfer2(_stepMatrix!, transfer, inverse);
            }
            else
            {
                Multiply(_stepMatrix!, transfer, _product!, d);
                Array.Copy(_product!, transfer, d * d);
                Invert(_stepMatrix!, _elimination!, _stepInverse!, d);
                Multiply(inverse, _stepInverse!, _product!, d);
                Array.Copy(_product!, inverse, d * d);
            }
            AddColumnFactors(n, at, d, beta);
            TLanes norm = SquaredNorm(transfer);
            TLanes inverseNorm = SquaredNorm(inverse);
            largest = Max(largest, norm);
            largestInverse = Max(largestInverse, inverseNorm);
            poison += (norm + inverseNorm) * TLanes.Zero;
        }

        double limit = FactoredConditionLimit * FactoredConditionLimit;
        TLanes bound = largest * largestInverse;
        for (int lane = 0; lane < lanes; lane++)
        {
            if (!(bound[lane] <= limit) || double.IsNaN(poison[lane]))
            {
                return false;
            }
        }

        return true;
    }

    // alpha_r(n) = Pi(n)^T a_r(n) for the rows at step n; a_r has at most three non-zero entries (h_mu, h_nu, w), the
    // same derivatives as AddSensitivities and AddKernelSensitivities use.
    private void AddRowFactors(int n, int at, int d, Span<TLanes> alpha)
    {
        int q = _q;
        int rows = _layout.Rows;
        TLanes inverseGamma = TLanes.Create(1.0 / _system.Problem.Gamma0);
        TLanes w = _path[at + (3 * q)];
        int row = _layout.Row(n, 0);
        for (int mu = 0; mu < q; mu++)
        {
            SetRowFactor(alpha, row + mu, rows, d, mu, w * _path[at + q + mu] * inverseGamma, mu, TLanes.Zero, _path[at + mu] * inverseGamma);
        }

        if (!_layout.HasKernels(n))
        {
            return;
        }

        for (int k = 0; k < _layout.Pairs; k++)
        {
            int mu = _layout.PairFirst[k];
            int nu = _layout.PairSecond[k];
            PairGradient gradient = KernelGradient(k, at, w);
            SetRowFactor(alpha, row + _layout.FeatureOffset + k, rows, d, mu, gradient.ByHMu, nu, gradient.ByHNu, TLanes.Zero);
            SetRowFactor(alpha, row + _layout.NtkOffset + k, rows, d, mu, gradient.ByHMu + gradient.NtkByHMu, nu, gradient.ByHNu + gradient.NtkByHNu, gradient.NtkByW);
        }
    }

    // alpha[e][row] = Pi[mu, e] byMu + Pi[nu, e] byNu + Pi[w, e] byW.
    private void SetRowFactor(Span<TLanes> alpha, int row, int rows, int d, int mu, TLanes byMu, int nu, TLanes byNu, TLanes byW)
    {
        TLanes[] transfer = _transfer!;
        int wRow = d - 1;
        for (int e = 0; e < d; e++)
        {
            TLanes value = TLanes.FusedMultiplyAdd(transfer[(mu * d) + e], byMu, transfer[(wRow * d) + e] * byW);
            alpha[(e * rows) + row] = TLanes.FusedMultiplyAdd(transfer[(nu * d) + e], byNu, value);
        }
    }

    // M(n) of the linearised update (see SensitivityPass): rows h_mu and w, columns h_b (training b) and w.
    private void StepMatrix(int n, int at, int d)
    {
        int q = _q;
        int p = _p;
        TLanes[] m = _stepMatrix!;
        SetIdentity(m, d);
        double[] kxTrain = _system.GramToTrain;
        TLanes c = TLanes.Create(_system.StepScale);
        TLanes w = _path[at + (3 * q)];
        ReadOnlySpan<double> delta = _delta.AsSpan(n * p, p);
        for (int b = 0; b < p; b++)
        {
            TLanes error = TLanes.Create(delta[b]);
            _slope[b] = c * error * _path[at + q + b];
            _curvature[b] = c * w * error * _path[at + (2 * q) + b];
            m[(q * d) + b] = _slope[b];
        }

        for (int mu = 0; mu < q; mu++)
        {
            TLanes drive = TLanes.Zero;
            for (int b = 0; b < p; b++)
            {
                TLanes kmb = TLanes.Create(kxTrain[(mu * p) + b]);
                drive = TLanes.FusedMultiplyAdd(kmb, _slope[b], drive);
                m[(mu * d) + b] = TLanes.FusedMultiplyAdd(kmb, _curvature[b], m[(mu * d) + b]);
            }

            m[(mu * d) + q] = drive;
        }
    }

    // beta_a(n) = Pi(n + 1)^-1 b_a(n) for the directions born at step n + 1, weighted by the site weights, into the
    // lane-major [e][lane][column] buffer; the columns of step T have no tangents and stay zero.
    private void AddColumnFactors(int n, int at, int d, Span<double> beta)
    {
        int q = _q;
        int p = _p;
        int lanes = TLanes.Count;
        int columns = _layout.Columns;
        double[] kxTrain = _system.GramToTrain;
        TLanes[] inverse = _transferInverse!;
        TLanes bornScale = TLanes.Create(_system.StepScale) * _weight[0];
        TLanes w = _path[at + (3 * q)];
        Span<double> lanesOf = stackalloc double[TLanes.Count];
        for (int a = 0; a < p; a++)
        {
            TLanes slope = bornScale * w * _path[at + q + a];
            TLanes bornW = bornScale * _path[at + a];
            int column = _layout.Column(n, a);
            for (int e = 0; e < d; e++)
            {
                TLanes value = inverse[(e * d) + q] * bornW;
                for (int mu = 0; mu < q; mu++)
                {
                    value = TLanes.FusedMultiplyAdd(inverse[(e * d) + mu], TLanes.Create(kxTrain[(mu * p) + a]) * slope, value);
                }

                int offset = (e * lanes * columns) + column;
                value.Store(ref lanesOf[0], 0);
                for (int lane = 0; lane < lanes; lane++)
                {
                    beta[offset + (lane * columns)] = lanesOf[lane];
                }
            }
        }
    }

    // Pi <- M Pi and Pi^-1 <- Pi^-1 M^-1 for one training point without test points (state (h, w), M[1, 1] = 1), with
    // M^-1 = [[1, -M01], [-M10, M00]] / det M in closed form.
    private static void AdvanceTransfer2(TLanes[] m, TLanes[] transfer, TLanes[] inverse)
    {
        TLanes m00 = m[0], m01 = m[1], m10 = m[2];
        TLanes p00 = transfer[0], p01 = transfer[1], p10 = transfer[2], p11 = transfer[3];
        transfer[0] = (m00 * p00) + (m01 * p10);
        transfer[1] = (m00 * p01) + (m01 * p11);
        transfer[2] = (m10 * p00) + p10;
        transfer[3] = (m10 * p01) + p11;
        TLanes scale = TLanes.Create(1.0) / (m00 - (m01 * m10));
        TLanes i00 = inverse[0], i01 = inverse[1], i10 = inverse[2], i11 = inverse[3];
        inverse[0] = (i00 - (i01 * m10)) * scale;
        inverse[1] = ((i01 * m00) - (i00 * m01)) * scale;
        inverse[2] = (i10 - (i11 * m10)) * scale;
        inverse[3] = ((i11 * m00) - (i10 * m01)) * scale;
    }

    private static void SetIdentity(TLanes[] matrix, int d)
    {
        Array.Fill(matrix, TLanes.Zero);
        for (int i = 0; i < d; i++)
        {
            matrix[(i * d) + i] = TLanes.Create(1.0);
        }
    }

    // product = left right (d x d, per lane).
    private static void Multiply(TLanes[] left, TLanes[] right, TLanes[] product, int d)
    {
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                TLanes sum = TLanes.Zero;
                for (int k = 0; k < d; k++)
                {
                    sum = TLanes.FusedMultiplyAdd(left[(i * d) + k], right[(k * d) + j], sum);
                }

                product[(i * d) + j] = sum;
            }
        }
    }

    // inverse = matrix^-1 by Gauss-Jordan elimination without pivoting (M(n) is I plus a step-sized correction); a zero
    // pivot gives infinities or NaN, which the conditioning check rejects.
    private static void Invert(TLanes[] matrix, TLanes[] work, TLanes[] inverse, int d)
    {
        Array.Copy(matrix, work, d * d);
        SetIdentity(inverse, d);
        for (int i = 0; i < d; i++)
        {
            TLanes scale = TLanes.Create(1.0) / work[(i * d) + i];
            for (int j = 0; j < d; j++)
            {
                work[(i * d) + j] *= scale;
                inverse[(i * d) + j] *= scale;
            }

            for (int r = 0; r < d; r++)
            {
                if (r == i)
                {
                    continue;
                }

                TLanes factor = work[(r * d) + i];
                for (int j = 0; j < d; j++)
                {
                    work[(r * d) + j] -= factor * work[(i * d) + j];
                    inverse[(r * d) + j] -= factor * inverse[(i * d) + j];
                }
            }
        }
    }

    private static TLanes SquaredNorm(TLanes[] matrix)
    {
        TLanes sum = TLanes.Zero;
        foreach (TLanes entry in matrix)
        {
            sum = TLanes.FusedMultiplyAdd(entry, entry, sum);
        }

        return sum;
    }

    // Lane-wise maximum (NaN is caught separately).
    private static TLanes Max(TLanes a, TLanes b) => TLanes.Zero - TLanes.Min(TLanes.Zero - a, TLanes.Zero - b);
}
