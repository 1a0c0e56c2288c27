using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>
/// Sample sums of one layer's site moments (DESIGN.md 4.5), from which its kappa block and its rows of D follow. With
/// plain observables O (count no), response observables R = V(i) x (response field in direction k) with mean E[V_{i;k}]
/// (count nr; ";" is a derivative with respect to an additive source j, in either family), kernel-column pairs
/// (a &lt;= b) per differentiated family and f columns j:
/// <list type="bullet">
/// <item>field samples: sum O, sum O O^T (kappa's plain block);</item>
/// <item>tangent samples: sum O, sum R; sum (O V_i)_{;k} (Cov(O, R)); sum (V_i V'_i')_{;k k'} (Cov(R, R'), second
/// order, all equal-time and acausal entries, mixed between the families in a middle layer: its Q-P block);
/// sum O_{;ab} and V_{i;k a b} (Price's theorem, a and b in the column's family: the covariance channel of D); sum
/// W_a O_{;b} and (W_a V_{i;b})_{;k} (the memory channel: the kernel entry (b, a), a in an earlier step than b,
/// <see cref="LayerObservables.PairInMemory"/>, adds c Delta(a) W(a) to that family's equation at b); sum
/// dO/dDelta(j), d V_{i;k} / dDelta(j) (the f channel).</item>
/// </list>
/// </summary>
internal sealed class LayerSums
{
    private readonly LayerObservables _observables;
    private readonly int _no, _nr, _pairs, _s, _d;

    // Per-sample scratch: O, O_{;k}.
    private readonly double[] _o, _o1;

    public LayerSums(LayerObservables observables)
    {
        _observables = observables;
        _s = observables.Size;
        _d = observables.Directions.Families * _s;
        _no = observables.Plain.Length;
        _nr = observables.Responses.Length;
        _pairs = observables.PairCount;
        int groups = observables.Groups.Length;
        FieldO = new double[_no];
        FieldOO = new double[_no * _no];
        O = new double[_no];
        R = new double[_nr];
        OR = new double[_no * _nr];
        RR = new double[_nr * _nr];
        PriceO = PerGroup(groups, _no * _pairs);
        PriceR = PerGroup(groups, _nr * _pairs);
        MemoryO = PerGroup(groups, _no * _pairs);
        MemoryR = PerGroup(groups, _nr * _pairs);
        DeltaO = new double[_no * _s];
        DeltaR = new double[_nr * _s];
        _o = new double[_no];
        _o1 = new double[_no * _d];
    }

    public long FieldCount { get; private set; }

    public long TangentCount { get; private set; }

    public double[] FieldO { get; }

    public double[] FieldOO { get; }

    public double[] O { get; }

    public double[] R { get; }

    public double[] OR { get; }

    public double[] RR { get; }

    /// <summary>Per kernel-column group (<see cref="LayerObservables.Groups"/>).</summary>
    public double[][] PriceO { get; }

    /// <summary>Per kernel-column group.</summary>
    public double[][] PriceR { get; }

    /// <summary>Per kernel-column group.</summary>
    public double[][] MemoryO { get; }

    /// <summary>Per kernel-column group.</summary>
    public double[][] MemoryR { get; }

    public double[] DeltaO { get; }

    public double[] DeltaR { get; }

    /// <summary>Bytes of one instance: 8 (no^2 + no nr + nr^2 + 4 G (no + nr) pairs + (no + nr) S + 3 no + no d + nr) for G groups.</summary>
    public static long Bytes(LayerObservables observables)
    {
        long no = observables.Plain.Length, nr = observables.Responses.Length, s = observables.Size;
        long d = observables.Directions.Families * s, groups = observables.Groups.Length;
        return 8 * (no * no + no * nr + nr * nr + 4 * groups * (no + nr) * observables.PairCount + (no + nr) * s + 3 * no + no * d + nr);
    }

    private static double[][] PerGroup(int groups, int length) => [.. Enumerable.Range(0, groups).Select(_ => new double[length])];

    /// <summary>Adds a field sample (values only).</summary>
    public void AddField<TActivation>(SiteJet<TActivation> jet)
        where TActivation : struct, IActivation
    {
        FieldCount++;
        for (int o = 0; o < _no; o++)
        {
            double value = 0;
            foreach (SiteProduct t in _observables.Plain[o].Terms)
            {
                value += t.Coefficient * Pick(jet, t.X).Value[t.A] * Pick(jet, t.Y).Value[t.B];
            }

            _o[o] = value;
            FieldO[o] += value;
        }

        for (int o = 0; o < _no; o++)
        {
            SpanMath.AddScaled(_o[o], _o.AsSpan(o), FieldOO.AsSpan(o * _no + o, _no - o));
        }
    }

    /// <summary>Adds a tangent sample (values and derivatives).</summary>
    public void AddTangent<TActivation>(SiteJet<TActivation> jet)
        where TActivation : struct, IActivation
    {
        TangentCount++;
        PlainSums(jet);
        ResponseSums(jet);
    }

    private void PlainSums<TActivation>(SiteJet<TActivation> jet)
        where TActivation : struct, IActivation
    {
        int s = _s, d = _d;
        KernelColumnGroup[] groups = _observables.Groups;
        int[] pairFirst = _observables.PairFirst;
        bool[] inMemory = _observables.PairInMemory;
        for (int o = 0; o < _no; o++)
        {
            double value = 0;
            Span<double> o1 = _o1.AsSpan(o * d, d);
            o1.Clear();
            foreach (SiteProduct t in _observables.Plain[o].Terms)
            {
                SiteJet<TActivation>.Field x = Pick(jet, t.X), y = Pick(jet, t.Y);
                double c = t.Coefficient, xa = x.Value[t.A], yb = y.Value[t.B];
                int a = t.A * d, b = t.B * d;
                value += c * xa * yb;
                for (int k = 0; k < d; k++)
                {
                    o1[k] += c * (x.D1[a + k] * yb + xa * y.D1[b + k]);
                }

                for (int j = 0; j < s; j++)
                {
                    DeltaO[o * s + j] += c * (x.DDelta[t.A * s + j] * yb + xa * y.DDelta[t.B * s + j]);
                }

                for (int g = 0; g < groups.Length; g++)
                {
                    int[] first = groups[g].FirstDirection, second = groups[g].SecondDirection;
                    double[] price = PriceO[g];
                    for (int p = 0; p < _pairs; p++)
                    {
                        int k = first[p], k2 = second[p];
                        price[o * _pairs + p] += c * (x.D2[(a + k) * d + k2] * yb + x.D1[a + k] * y.D1[b + k2]
                            + x.D1[a + k2] * y.D1[b + k] + xa * y.D2[(b + k) * d + k2]);
                    }
                }
            }

            _o[o] = value;
            O[o] += value;
            for (int g = 0; g < groups.Length; g++)
            {
                SiteJet<TActivation>.Field w = Pick(jet, groups[g].MemoryWeight);
                int[] second = groups[g].SecondDirection;
                double[] memory = MemoryO[g];
                for (int p = 0; p < _pairs; p++)
                {
                    if (inMemory[p])
                    {
                        memory[o * _pairs + p] += w.Value[pairFirst[p]] * o1[second[p]];
                    }
                }
            }
        }
    }

    private void ResponseSums<TActivation>(SiteJet<TActivation> jet)
        where TActivation : struct, IActivation
    {
        int s = _s, d = _d;
        KernelColumnGroup[] groups = _observables.Groups;
        int[] pairFirst = _observables.PairFirst;
        bool[] inMemory = _observables.PairInMemory;
        ResponseObservable[] responses = _observables.Responses;
        for (int r = 0; r < _nr; r++)
        {
            (SiteQuantity field, int i, int k, _) = responses[r];
            SiteJet<TActivation>.Field v = Pick(jet, field);
            double vi = v.Value[i], vik = v.D1[i * d + k];
            R[r] += vik;

            // Cov(O, R): (O V_i)_{;k} = O_{;k} V_i + O V_{i;k}.
            for (int o = 0; o < _no; o++)
            {
                OR[o * _nr + r] += _o1[o * d + k] * vi + _o[o] * vik;
            }

            // Cov(R, R'): (V_i V'_i')_{;k k'}, upper triangle.
            int row = r * _nr;
            for (int r2 = r; r2 < _nr; r2++)
            {
                (SiteQuantity field2, int i2, int k2, _) = responses[r2];
                SiteJet<TActivation>.Field v2 = field2 == field ? v : Pick(jet, field2);
                RR[row + r2] += v.D2[(i * d + k) * d + k2] * v2.Value[i2] + vik * v2.D1[i2 * d + k2]
                    + v.D1[i * d + k2] * v2.D1[i2 * d + k] + vi * v2.D2[(i2 * d + k) * d + k2];
            }

            for (int g = 0; g < groups.Length; g++)
            {
                SiteJet<TActivation>.Field w = Pick(jet, groups[g].MemoryWeight);
                int[] first = groups[g].FirstDirection, second = groups[g].SecondDirection;
                double[] price = PriceR[g], memory = MemoryR[g];
                for (int p = 0; p < _pairs; p++)
                {
                    int da = first[p], db = second[p];
                    price[r * _pairs + p] += v.D3[((i * d + k) * d + da) * d + db];
                    int a = pairFirst[p];
                    if (inMemory[p])
                    {
                        memory[r * _pairs + p] += w.D1[a * d + k] * v.D1[i * d + db] + w.Value[a] * v.D2[(i * d + db) * d + k];
                    }
                }
            }

            for (int j = 0; j < s; j++)
            {
                DeltaR[r * s + j] += v.DDeltaSource[(i * s + j) * d + k];
            }
        }
    }

    /// <summary>this += other (chunk sums, added in chunk order by the caller).</summary>
    public void Add(LayerSums other)
    {
        FieldCount += other.FieldCount;
        TangentCount += other.TangentCount;
        foreach ((double[] target, double[] source) in Pairs(other))
        {
            for (int k = 0; k < target.Length; k++)
            {
                target[k] += source[k];
            }
        }
    }

    private IEnumerable<(double[], double[])> Pairs(LayerSums other)
    {
        yield return (FieldO, other.FieldO);
        yield return (FieldOO, other.FieldOO);
        yield return (O, other.O);
        yield return (R, other.R);
        yield return (OR, other.OR);
        yield return (RR, other.RR);
        for (int g = 0; g < PriceO.Length; g++)
        {
            yield return (PriceO[g], other.PriceO[g]);
            yield return (PriceR[g], other.PriceR[g]);
            yield return (MemoryO[g], other.MemoryO[g]);
            yield return (MemoryR[g], other.MemoryR[g]);
        }

        yield return (DeltaO, other.DeltaO);
        yield return (DeltaR, other.DeltaR);
    }

    /// <summary>
    /// Writes this layer's kappa block into <paramref name="kappa"/> and its rows of -D into
    /// <paramref name="identityMinusD"/> (both dim x dim row-major); c and Delta weight the memory channel.
    /// </summary>
    public void Write(double[] kappa, double[] identityMinusD, int dim, double c, double[] delta)
    {
        int s = _s;
        double mf = FieldCount, mt = TangentCount;
        PlainObservable[] plain = _observables.Plain;
        ResponseObservable[] responses = _observables.Responses;
        KernelColumnGroup[] groups = _observables.Groups;
        var meanField = FieldO.Select(x => x / mf).ToArray();
        var meanO = O.Select(x => x / mt).ToArray();
        var meanR = R.Select(x => x / mt).ToArray();

        void Set(int i, int j, double value)
        {
            kappa[(long)i * dim + j] = value;
            kappa[(long)j * dim + i] = value;
        }

        for (int o = 0; o < _no; o++)
        {
            for (int o2 = o; o2 < _no; o2++)
            {
                Set(plain[o].Index, plain[o2].Index, (FieldOO[o * _no + o2] - mf * meanField[o] * meanField[o2]) / (mf - 1));
            }

            for (int r = 0; r < _nr; r++)
            {
                Set(plain[o].Index, responses[r].Index, OR[o * _nr + r] / mt - meanO[o] * meanR[r]);
            }
        }

        for (int r = 0; r < _nr; r++)
        {
            for (int r2 = r; r2 < _nr; r2++)
            {
                Set(responses[r].Index, responses[r2].Index, RR[r * _nr + r2] / mt - meanR[r] * meanR[r2]);
            }
        }

        void Rows(int row, double[][] price, double[][] memory, double[] deltaSums, int x)
        {
            long offset = (long)row * dim;
            for (int g = 0; g < groups.Length; g++)
            {
                for (int p = 0; p < _pairs; p++)
                {
                    if (groups[g].Columns[p] < 0)
                    {
                        continue;
                    }

                    int a = _observables.PairFirst[p], b = _observables.PairSecond[p];
                    double d = (a == b ? 0.5 : 1.0) * price[g][x * _pairs + p] / mt;
                    if (_observables.PairInMemory[p])
                    {
                        d += c * delta[a] * memory[g][x * _pairs + p] / mt;
                    }

                    identityMinusD[offset + groups[g].Columns[p]] -= d;
                }
            }

            // q holds f and Delta = y - f: a unit change of f(j) is dDelta(j) = -1.
            for (int j = 0; j < s; j++)
            {
                if (_observables.PredictionColumns[j] >= 0)
                {
                    identityMinusD[offset + _observables.PredictionColumns[j]] += deltaSums[x * s + j] / mt;
                }
            }
        }

        for (int o = 0; o < _no; o++)
        {
            Rows(plain[o].Index, PriceO, MemoryO, DeltaO, o);
        }

        for (int r = 0; r < _nr; r++)
        {
            Rows(responses[r].Index, PriceR, MemoryR, DeltaR, r);
        }
    }

    /// <summary>Sample means of the response observables, E[V_{i;k}], in the order of <see cref="LayerObservables.Responses"/>.</summary>
    public double[] ResponseMeans() => [.. R.Select(x => x / TangentCount)];

    private static SiteJet<TActivation>.Field Pick<TActivation>(SiteJet<TActivation> jet, SiteQuantity quantity)
        where TActivation : struct, IActivation => quantity switch
        {
            SiteQuantity.Phi => jet.Phi,
            SiteQuantity.Gradient => jet.Gradient,
            _ => jet.Z,
        };
}
