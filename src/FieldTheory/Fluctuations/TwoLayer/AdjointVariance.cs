using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Matrix-free N Var of chosen scalar observables Y = g . O of a two-layer network (DESIGN.md 4.1, 4.2): the outputs
/// f_mu(n) on every point and the loss at chosen steps n, without forming D_f, kappa or Sigma.
/// <para>
/// With delta O = eps_O + D_O delta Delta, delta Delta = -delta f and (I + D_f) delta f = eps_f,
/// delta Y = g . eps_O - u . eps_f with u = (I + D_f)^-T D_O^T g, so N Var Y = Var_site(g . O - u . O_f). The vector u
/// solves u(m) = d/dDelta(m) &lt; g . O - u . O_f &gt;, whose right side involves u only at later steps (D_f is strictly
/// causal): one backward sweep of per-site adjoints lambda = d(g . O - u . O_f)/d(h, w) through the linearised site
/// update of DESIGN.md 3.1 yields u step by step (its site average at each step), all sites in lockstep. The loss
/// L(n) = 1/2 |Delta(n)|^2 is g = -Delta(n) on the training outputs at step n (N Var L = Delta^T Sigma(n, n) Delta).
/// </para>
/// <para>
/// Cost per group of S sites: O(S T Q P B) for B = (Q + 1) x (chosen steps) observables (each active from its step
/// backwards), against the dense path's O(S T^2 P^2 (Q + P)); memory <see cref="PeakBytes"/>. Adjoints are vectors over
/// the observables, so the work runs in SIMD.
/// </para>
/// </summary>
internal static class AdjointVariance
{
    /// <summary>
    /// Bytes of one group's sweep over S sites: 8 [S (T + 1)(Q + 1) stored paths + S (Q + 1) B adjoints + (T + 1) P B
    /// for u + L (P B + 2 B + ...) lane sums], B = (Q + 1) x chosen steps; the buffers are reused from group to group.
    /// </summary>
    public static long PeakBytes(long groupSites, int points, int train, int steps, int chosenSteps)
    {
        long b = (points + 1L) * chosenSteps;
        return 8 * ((groupSites * (steps + 1L) * (points + 1)) + (groupSites * (points + 1) * b) + ((steps + 1L) * train * b)
            + (SiteLanes.Count * ((train * b) + (2 * b) + (points * b) + (3L * train))));
    }

    /// <summary>Buffers of a sweep, kept from group to group.</summary>
    internal sealed class Buffers
    {
        public double[] Paths { get; set; } = [];

        public double[] Adjoints { get; set; } = [];

        public double[] U { get; set; } = [];

        public static double[] Cleared(double[] current, long length)
        {
            if (current.LongLength != length)
            {
                return new double[length];
            }

            Array.Clear(current);
            return current;
        }
    }

    /// <summary>
    /// N Var of f_mu(n) (every point mu, training then test) and of the loss at each step in <paramref name="steps"/>,
    /// for the sites [first, last) of <paramref name="system"/> along <paramref name="delta"/>; [step][Q + 1] with the
    /// loss last (null at the steps not chosen).
    /// </summary>
    public static double[][] Solve<TActivation>(SiteSystem system, int first, int last, double[] delta, IReadOnlyList<int> steps, Buffers buffers, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        var sweep = new Sweep<TActivation>(system, first, last, delta, steps, buffers);
        sweep.Record(ct);
        sweep.Backward(ct);
        return sweep.Variances(ct);
    }

    private sealed class Sweep<TActivation>
        where TActivation : struct, IActivation
    {
        private readonly SiteSystem _system;
        private readonly int _first;
        private readonly int _count;
        private readonly double[] _delta;
        private readonly int _q;
        private readonly int _p;
        private readonly int _steps;
        private readonly int[] _chosen;

        /// <summary>Observables b = (chosen step, k), chosen steps descending, k = 0..Q (outputs, then the loss).</summary>
        private readonly int _observables;

        /// <summary>h and w of every site at every step, [site][n][Q + 1].</summary>
        private readonly double[] _paths;

        /// <summary>Adjoints d(g . O - u . O_f)/d(h_mu, w) of every site, [site][Q + 1][B].</summary>
        private readonly double[] _adjoints;

        /// <summary>u_b(n, a), [n][a][B].</summary>
        private readonly double[] _u;

        public Sweep(SiteSystem system, int first, int last, double[] delta, IReadOnlyList<int> steps, Buffers buffers)
        {
            _system = system;
            _first = first;
            _count = last - first;
            _delta = delta;
            _q = system.Layout.Points;
            _p = system.Layout.Train;
            _steps = system.Layout.Steps;
            _chosen = [.. steps.Distinct().OrderDescending()];
            _observables = _chosen.Length * (_q + 1);
            _paths = buffers.Paths = Buffers.Cleared(buffers.Paths, (long)_count * (_steps + 1) * (_q + 1));
            _adjoints = buffers.Adjoints = Buffers.Cleared(buffers.Adjoints, (long)_count * (_q + 1) * _observables);
            _u = buffers.U = Buffers.Cleared(buffers.U, (_steps + 1) * _p * _observables);
        }

        private int Width => _q + 1;

        /// <summary>Observables active at step n (their step is n or later): a prefix, the steps being descending.</summary>
        private int Active(int n)
        {
            int count = 0;
            while (count < _chosen.Length && _chosen[count] >= n)
            {
                count++;
            }

            return count * (_q + 1);
        }

        /// <summary>Replays every site along Delta and stores its path.</summary>
        public void Record(CancellationToken ct)
        {
            Parallel.For(0, SiteLanes.Count, new ParallelOptions { CancellationToken = ct }, lane =>
            {
                (int start, int end) = SiteLanes.Range(0, _count, lane);
                TActivation activation = default;
                var h = new double[_q];
                var phi = new double[_p];
                var slope = new double[_p];
                for (int s = start; s < end; s++)
                {
                    int site = _first + s;
                    _system.InitialH.AsSpan(site * _q, _q).CopyTo(h);
                    double w = _system.InitialW[site];
                    for (int n = 0; n <= _steps; n++)
                    {
                        Span<double> at = _paths.AsSpan((int)(((long)s * (_steps + 1) + n) * Width), Width);
                        h.CopyTo(at);
                        at[_q] = w;
                        if (n == _steps)
                        {
                            break;
                        }

                        for (int a = 0; a < _p; a++)
                        {
                            ActivationJet jet = activation.Jet(h[a]);
                            phi[a] = jet.Value;
                            slope[a] = jet.D1;
                        }

                        SiteUpdate.Advance(h, ref w, phi, slope, _delta.AsSpan(n * _p, _p), _system.GramToTrain, _system.StepScale);
                    }
                }
            });
        }

        /// <summary>u(n) for n = T - 1 .. 0, marching the adjoints backwards (u(T) = 0: nothing follows the last step).</summary>
        public void Backward(CancellationToken ct)
        {
            int b = _observables;
            var coefficients = new double[_q * b];
            for (int n = _steps - 1; n >= 0; n--)
            {
                ct.ThrowIfCancellationRequested();
                DirectCoefficients(n + 1, coefficients);
                int active = Active(n + 1);
                int step = n;
                double[] sums = SiteLanes.Run(
                    0,
                    _count,
                    () => new double[_p * b],
                    (start, end, accumulator) => Transpose(step, start, end, active, coefficients, accumulator),
                    static (target, source) =>
                    {
                        for (int k = 0; k < target.Length; k++)
                        {
                            target[k] += source[k];
                        }
                    },
                    ct);
                Array.Copy(sums, 0, _u, n * _p * b, _p * b);
            }
        }

        // The coefficient of each output row at step n in g . O - u . O_f, [mu][B]: g's own entries at its step, minus u(n)
        // on the training outputs.
        private void DirectCoefficients(int n, double[] coefficients)
        {
            int b = _observables;
            Array.Clear(coefficients);
            for (int c = 0; c < _chosen.Length; c++)
            {
                if (_chosen[c] != n)
                {
                    continue;
                }

                int first = c * (_q + 1);
                for (int mu = 0; mu < _q; mu++)
                {
                    coefficients[(mu * b) + first + mu] = 1.0;
                }

                // Loss: dL = Delta . dDelta = -Delta . df on the training outputs.
                for (int a = 0; a < _p; a++)
                {
                    coefficients[(a * b) + first + _q] = -_delta[(n * _p) + a];
                }
            }

            for (int a = 0; a < _p; a++)
            {
                SpanMath.Axpy(-1.0, _u.AsSpan(((n * _p) + a) * b, b), coefficients.AsSpan(a * b, b));
            }
        }

        // For the sites [start, end): add the direct terms of step n + 1, then accumulate u(n) and turn lambda(n + 1)
        // into J_n^T lambda(n + 1) (DESIGN.md 3.1 linearised, see the class comment).
        private void Transpose(int n, int start, int end, int active, double[] coefficients, double[] uSums)
        {
            TActivation activation = default;
            int b = _observables;
            int q = _q;
            int p = _p;
            double c = _system.StepScale;
            double inverseGamma = 1.0 / _system.Problem.Gamma0;
            double[] kxTrain = _system.GramToTrain;
            ReadOnlySpan<double> d = _delta.AsSpan(n * p, p);
            var t = new double[p * b];
            var phi = new double[p];
            var slope = new double[p];
            var curvature = new double[p];
            for (int s = start; s < end; s++)
            {
                double weight = _system.Rule.Weights[_first + s];
                Span<double> lambda = _adjoints.AsSpan((int)((long)s * Width * b), Width * b);
                Span<double> lambdaW = lambda.Slice(q * b, active);

                // Direct terms at step n + 1: lambda_h_mu += (w phi'_mu / gamma0) A_mu, lambda_w += sum_mu (phi_mu / gamma0) A_mu.
                ReadOnlySpan<double> next = _paths.AsSpan((int)(((long)s * (_steps + 1) + n + 1) * Width), Width);
                for (int mu = 0; mu < q; mu++)
                {
                    ActivationJet jet = activation.Jet(next[mu]);
                    ReadOnlySpan<double> a = coefficients.AsSpan(mu * b, active);
                    SpanMath.Axpy(next[q] * jet.D1 * inverseGamma, a, lambda.Slice(mu * b, active));
                    SpanMath.Axpy(jet.Value * inverseGamma, a, lambdaW);
                }

                ReadOnlySpan<double> at = _paths.AsSpan((int)(((long)s * (_steps + 1) + n) * Width), Width);
                double w = at[q];
                for (int a = 0; a < p; a++)
                {
                    ActivationJet jet = activation.Jet(at[a]);
                    phi[a] = jet.Value;
                    slope[a] = jet.D1;
                    curvature[a] = jet.D2;
                }

                // t_a = sum_mu K^x_{mu a} lambda_h_mu.
                for (int a = 0; a < p; a++)
                {
                    Span<double> ta = t.AsSpan(a * b, active);
                    ta.Clear();
                    for (int mu = 0; mu < q; mu++)
                    {
                        SpanMath.Axpy(kxTrain[(mu * p) + a], lambda.Slice(mu * b, active), ta);
                    }
                }

                for (int a = 0; a < p; a++)
                {
                    ReadOnlySpan<double> ta = t.AsSpan(a * b, active);
                    Span<double> ua = uSums.AsSpan(a * b, active);

                    // u_a += weight c (w phi'_a t_a + phi_a lambda_w); lambda_h_a += c Delta_a (w phi''_a t_a + phi'_a lambda_w).
                    SpanMath.Axpy(weight * c * w * slope[a], ta, ua);
                    SpanMath.Axpy(weight * c * phi[a], lambdaW, ua);
                    Span<double> ha = lambda.Slice(a * b, active);
                    SpanMath.Axpy(c * d[a] * w * curvature[a], ta, ha);
                    SpanMath.Axpy(c * d[a] * slope[a], lambdaW, ha);
                }

                // lambda_w += c sum_a Delta_a phi'_a t_a (after every use of the old lambda_w above).
                for (int a = 0; a < p; a++)
                {
                    SpanMath.Axpy(c * d[a] * slope[a], t.AsSpan(a * b, active), lambdaW);
                }
            }
        }

        /// <summary>N Var Y_b = Var_site(g_b . O - u_b . O_f), per chosen step: Q outputs, then the loss.</summary>
        public double[][] Variances(CancellationToken ct)
        {
            TActivation activation = default;
            int b = _observables;
            int q = _q;
            int p = _p;
            bool centered = _system.Problem.Centered;
            double inverseGamma = 1.0 / _system.Problem.Gamma0;
            double[] moments = SiteLanes.Run(
                0,
                _count,
                () => new double[2 * b],
                (start, end, sums) =>
                {
                    var z = new double[b];
                    var outputs = new double[q];
                    var initial = new double[q];
                    for (int s = start; s < end; s++)
                    {
                        Array.Clear(z);
                        double weight = _system.Rule.Weights[_first + s];
                        for (int n = 0; n <= _steps; n++)
                        {
                            ReadOnlySpan<double> at = _paths.AsSpan((int)(((long)s * (_steps + 1) + n) * Width), Width);
                            for (int mu = 0; mu < q; mu++)
                            {
                                double value = at[q] * activation.Value(at[mu]) * inverseGamma;
                                if (n == 0)
                                {
                                    initial[mu] = value;
                                }

                                outputs[mu] = centered ? value - initial[mu] : value;
                            }

                            // - u(n) . O_f(n), then g . O at the observables' own step.
                            for (int a = 0; a < p; a++)
                            {
                                SpanMath.Axpy(-outputs[a], _u.AsSpan(((n * p) + a) * b, b), z);
                            }

                            int c = Array.IndexOf(_chosen, n);
                            if (c >= 0)
                            {
                                int firstObservable = c * (q + 1);
                                for (int mu = 0; mu < q; mu++)
                                {
                                    z[firstObservable + mu] += outputs[mu];
                                }

                                for (int a = 0; a < p; a++)
                                {
                                    z[firstObservable + q] -= _delta[(n * p) + a] * outputs[a];
                                }
                            }
                        }

                        for (int k = 0; k < b; k++)
                        {
                            sums[k] += weight * z[k];
                            sums[b + k] += weight * z[k] * z[k];
                        }

                        if ((s & 63) == 0)
                        {
                            ct.ThrowIfCancellationRequested();
                        }
                    }
                },
                static (target, source) =>
                {
                    for (int k = 0; k < target.Length; k++)
                    {
                        target[k] += source[k];
                    }
                },
                ct);
            var result = new double[_steps + 1][];
            for (int c = 0; c < _chosen.Length; c++)
            {
                var values = new double[q + 1];
                for (int k = 0; k <= q; k++)
                {
                    int index = (c * (q + 1)) + k;
                    double mean = moments[index];
                    values[k] = moments[b + index] - (mean * mean);
                }

                result[_chosen[c]] = values;
            }

            return result;
        }
    }
}
