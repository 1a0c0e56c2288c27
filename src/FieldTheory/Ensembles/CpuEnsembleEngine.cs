using FieldTheory.Compute;
using System.Numerics;
using System.Runtime.CompilerServices;
using FieldTheory.Randomness;

namespace FieldTheory.Ensembles;

/// <summary>
/// The CPU engine: the equations of <see cref="EnsembleEngine{TActivation}"/> (DESIGN.md section 2) computed member by
/// member, members split into fixed contiguous blocks run in parallel, each member's arithmetic sequential, so the
/// numbers do not depend on the thread count. Each call to <see cref="Evaluate"/> runs all its steps for one member
/// before the next (the member's weights and fields stay in cache), computing the errors of the next step itself.
/// Two-layer networks with little work per neuron take one fused SIMD sweep over the neurons per step
/// (<see cref="TwoLayerSweep{TActivation, TLanes}"/>: update, forward, backward fields, f and kernels); the rest runs as
/// per-member products (<see cref="MemberGemm"/>, single-threaded OpenBLAS) and SIMD element-wise passes.
/// Memory: 8 <see cref="CpuEngineLayout.Doubles"/> bytes.
/// </summary>
/// <remarks>
/// Storage per member, neuron rows padded to <c>ld</c> (N rounded up to whole vectors on the fused path, else N):
/// W^0 transposed (D x ld), W^l (N x N), w (ld), phi(h^l) (Pa x ld) and g^l (P x ld) for every layer, Delta (P) and
/// f(theta_0) (Pa). Padding lanes hold zeros and stay zero (phi and g are masked there).
/// </remarks>
internal sealed class CpuEnsembleEngine<TActivation> : IEnsembleEngine
    where TActivation : struct, IActivation
{
    private readonly EnsembleShape _shape;
    private readonly double _gamma0;
    private readonly double _eta;
    private readonly int _workers;
    private readonly int _ld;
    private readonly LaneActivation<TActivation> _activation;
    private readonly bool _fused;
    private readonly bool _blas;
    private readonly double[] _x;
    private readonly double[][] _weights;
    private readonly double[] _readout;
    private readonly double[][] _phi;
    private readonly double[][] _g;
    private readonly double[] _delta;
    private readonly double[] _initial;
    private readonly MemberScratch[] _scratch;
    private readonly IDisposable? _blasThreads;
    private TrainingErrors? _errors;
    private bool _pendingUpdate;
    private bool _evaluated;

    public CpuEnsembleEngine(NetworkModel model, EnsembleShape shape, double gamma0, double eta, int workers, bool blas)
    {
        _shape = shape;
        _gamma0 = gamma0;
        _eta = eta;
        _workers = Math.Max(1, Math.Min(workers, shape.Members));
        _activation = LaneActivation<TActivation>.For(model);
        _fused = CpuEngineLayout.UsesFusedSweep(shape);
        _blas = blas && !_fused && OpenBlas.IsAvailable;
        _blasThreads = _blas ? OpenBlas.SingleThreaded() : null;

        (int e, int n, int d, int layers, int p, int pa) = shape;
        _ld = CpuEngineLayout.Stride(shape);
        _x = new double[pa * d];
        _weights = new double[layers][];
        _weights[0] = new double[(long)e * d * _ld];
        for (int l = 1; l < layers; l++)
        {
            _weights[l] = new double[(long)e * n * n];
        }

        _readout = new double[(long)e * _ld];
        _phi = [.. Enumerable.Range(0, layers).Select(_ => new double[(long)e * pa * _ld])];
        _g = [.. Enumerable.Range(0, layers).Select(_ => new double[(long)e * p * _ld])];
        _delta = new double[e * p];
        _initial = new double[e * pa];
        _scratch = [.. Enumerable.Range(0, _workers).Select(_ => new MemberScratch(shape, _ld))];
        MaxStepsPerCall = CpuEngineLayout.StepsPerCall(shape);
    }

    public string Description => _fused
        ? $"CPU: fused two-layer SIMD sweep ({_activation.Lanes}, {_activation.Activation}), {_workers} member blocks in parallel"
        : $"CPU: per-member products ({(_blas ? "OpenBLAS dgemm, single-threaded per member" : "managed loops")}), SIMD element-wise passes, {_workers} member blocks in parallel";

    public int MaxStepsPerCall { get; }

    public void Initialize(ulong seed)
    {
        var random = new RandomStream(seed);
        Parallel.For(0, _shape.Members, m => InitializeMember(m, random));
    }

    /// <summary>
    /// Weights of member m. This and the other hot loops are compiled fully optimised at once
    /// (<see cref="MethodImplOptions.AggressiveOptimization"/>): tiering them up can lag far behind on a loaded machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InitializeMember(int m, RandomStream random)
    {
        (_, int n, int d, int layers, _, _) = _shape;
        int ld = _ld;
        // Entry (i, j) of W^l is Normal(StreamId.Of(m, l, purpose), i N_l + j) as on the ILGPU engine.
        ulong stream0 = StreamId.Of(m, 0, EnsembleStreams.WeightPurpose);
        Span<double> w0 = _weights[0].AsSpan((int)((long)m * d * ld), d * ld);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                w0[(j * ld) + i] = random.Normal(stream0, (ulong)((i * d) + j));
            }
        }

        for (int l = 1; l < layers; l++)
        {
            ulong stream = StreamId.Of(m, l, EnsembleStreams.WeightPurpose);
            Span<double> w = _weights[l].AsSpan((int)((long)m * n * n), n * n);
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = random.Normal(stream, (ulong)i);
            }
        }

        ulong readout = StreamId.Of(m, layers, EnsembleStreams.WeightPurpose);
        for (int i = 0; i < n; i++)
        {
            _readout[((long)m * ld) + i] = random.Normal(readout, (ulong)i);
        }
    }

    public void SetInputs(double[] x)
    {
        // A pending update uses the inputs it was computed on (a^0 = x of the previous step).
        if (_pendingUpdate)
        {
            ForEachMember((m, scratch) =>
            {
                if (_fused)
                {
                    Sweep(m, scratch, update: true, record: null);
                }
                else
                {
                    UpdateMember(m, scratch);
                }
            });
            _pendingUpdate = false;
        }

        x.CopyTo(_x, 0);
    }

    public void Evaluate(ReadOnlySpan<StepRecord> steps, TrainingErrors errors)
    {
        _errors = errors;
        bool updateFirst = _pendingUpdate;
        bool first = !_evaluated;
        _pendingUpdate = false;
        _evaluated = true;
        StepRecord[] records = steps.ToArray();
        (_, _, _, _, int p, int pa) = _shape;
        ForEachMember((m, scratch) =>
        {
            for (int s = 0; s < records.Length; s++)
            {
                bool update = s > 0 || updateFirst;
                if (_fused)
                {
                    Sweep(m, scratch, update, records[s]);
                }
                else
                {
                    if (update)
                    {
                        UpdateMember(m, scratch);
                    }

                    EvaluateMember(m, scratch, records[s]);
                }

                ReadOnlySpan<double> outputs = records[s].Outputs.AsSpan(m * pa, pa);
                if (first && s == 0)
                {
                    outputs.CopyTo(_initial.AsSpan(m * pa, pa));
                }

                errors.Fill(outputs, _initial.AsSpan(m * pa, pa), _delta.AsSpan(m * p, p));
            }
        });
    }

    /// <summary>Applied lazily: fused into the next sweep (or taken by <see cref="SetInputs"/> first).</summary>
    public void Update()
    {
        if (_errors is null)
        {
            throw new InvalidOperationException("Update needs the errors of an evaluated state.");
        }

        _pendingUpdate = true;
    }

    public void Dispose() => _blasThreads?.Dispose();

    /// <summary>Runs <paramref name="body"/> for every member: fixed contiguous blocks, one per worker, members in order.</summary>
    private void ForEachMember(Action<int, MemberScratch> body)
    {
        int members = _shape.Members;
        int blocks = _workers;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            for (int m = (int)((long)members * b / blocks); m < (int)((long)members * (b + 1) / blocks); m++)
            {
                body(m, _scratch[b]);
            }
        });
    }

    /// <summary>The fused two-layer sweep of member m: update first when asked, then evaluate into <paramref name="record"/> unless null.</summary>
    private void Sweep(int m, MemberScratch scratch, bool update, StepRecord? record)
    {
        var kernel = new SweepKernel(this, m, scratch, update, record);
        _activation.Run(ref kernel);
    }

    /// <summary>Forward pass, backward fields, f and kernels of member m by products (DESIGN.md section 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EvaluateMember(int m, MemberScratch scratch, StepRecord record)
    {
        (_, int n, int d, int layers, int p, int pa) = _shape;
        int top = layers - 1;
        MemberGemm.Run(_blas, false, false, pa, n, d, 1.0 / Math.Sqrt(d), _x, d, Weights(0, m), n, 0.0, Phi(0, m), n);
        Activate(Phi(0, m), scratch.Dphi[0]);
        for (int l = 1; l < layers; l++)
        {
            MemberGemm.Run(_blas, false, true, pa, n, n, 1.0 / Math.Sqrt(n), Phi(l - 1, m), n, Weights(l, m), n, 0.0, Phi(l, m), n);
            Activate(Phi(l, m), scratch.Dphi[l]);
        }

        ReadOnlySpan<double> readout = _readout.AsSpan(m * n, n);
        for (int mu = 0; mu < pa; mu++)
        {
            record.Outputs[(m * pa) + mu] = Dot(Phi(top, m).Slice(mu * n, n), readout) / (_gamma0 * n);
        }

        Multiply(scratch.Dphi[top].AsSpan(0, p * n), readout, G(top, m));
        for (int l = top; l >= 1; l--)
        {
            // z^l = W^l^T g^(l+1) / sqrt N, row-wise z_mu = g_mu W^l / sqrt N; g^l = phi'(h^l) z^l.
            MemberGemm.Run(_blas, false, false, p, n, n, 1.0 / Math.Sqrt(n), G(l, m), n, Weights(l, m), n, 0.0, scratch.Z, n);
            Multiply(scratch.Dphi[l - 1].AsSpan(0, p * n), scratch.Z, G(l - 1, m));
        }

        int pp = p * p;
        for (int l = 0; l < layers; l++)
        {
            MemberGemm.Run(_blas, false, true, p, p, n, 1.0 / n, Phi(l, m), n, Phi(l, m), n, 0.0, record.Feature[l].AsSpan(m * pp, pp), p);
            MemberGemm.Run(_blas, false, true, p, p, n, 1.0 / n, G(l, m), n, G(l, m), n, 0.0, record.Gradient[l].AsSpan(m * pp, pp), p);
        }
    }

    /// <summary>W^l += (c / sqrt N_l) sum_mu Delta_mu g^(l+1)_mu a^l_mu^T and w += c sum_mu Delta_mu phi(h^L_mu), c = eta gamma0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateMember(int m, MemberScratch scratch)
    {
        (_, int n, int d, int layers, int p, _) = _shape;
        double c = _eta * _gamma0;
        ReadOnlySpan<double> delta = _delta.AsSpan(m * p, p);
        for (int l = 0; l < layers; l++)
        {
            Span<double> g = G(l, m);
            for (int mu = 0; mu < p; mu++)
            {
                Scale(g.Slice(mu * n, n), delta[mu], scratch.U.AsSpan(mu * n, n));
            }

            if (l == 0)
            {
                // W^0 is stored transposed (D x N): W^0^T += (c / sqrt D) X^T U.
                MemberGemm.Run(_blas, true, false, d, n, p, c / Math.Sqrt(d), _x, d, scratch.U, n, 1.0, Weights(0, m), n);
            }
            else
            {
                MemberGemm.Run(_blas, true, false, n, n, p, c / Math.Sqrt(n), scratch.U, n, Phi(l - 1, m), n, 1.0, Weights(l, m), n);
            }
        }

        Span<double> readout = _readout.AsSpan(m * n, n);
        Span<double> top = Phi(layers - 1, m);
        for (int mu = 0; mu < p; mu++)
        {
            AddScaled(top.Slice(mu * n, n), c * delta[mu], readout);
        }
    }

    private Span<double> Weights(int layer, int m)
    {
        long size = layer == 0 ? (long)_shape.Dimension * _ld : (long)_shape.Width * _shape.Width;
        return _weights[layer].AsSpan((int)(m * size), (int)size);
    }

    private Span<double> Phi(int layer, int m) => _phi[layer].AsSpan(m * _shape.AllRows * _ld, _shape.AllRows * _ld);

    private Span<double> G(int layer, int m) => _g[layer].AsSpan(m * _shape.TrainRows * _ld, _shape.TrainRows * _ld);

    /// <summary>h → phi(h) in place, phi'(h) into <paramref name="dphi"/>.</summary>
    private void Activate(Span<double> h, Span<double> dphi)
    {
        if (_activation.IsVectorised)
        {
            Activate<GeneratedLanes<TActivation>>(h, dphi);
        }
        else
        {
            Activate<JetLanes<TActivation>>(h, dphi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Activate<TFunction>(Span<double> h, Span<double> dphi)
        where TFunction : struct, ILaneFunction
    {
        int v = VectorLanes.Count;
        int i = 0;
        for (; i <= h.Length - v; i += v)
        {
            TFunction.Apply(VectorLanes.Load(ref h[i], 0), out VectorLanes phi, out VectorLanes slope);
            phi.Store(ref h[i], 0);
            slope.Store(ref dphi[i], 0);
        }

        for (; i < h.Length; i++)
        {
            TFunction.Apply(VectorLanes.Create(h[i]), out VectorLanes phi, out VectorLanes slope);
            (h[i], dphi[i]) = (phi[0], slope[0]);
        }
    }

    /// <summary>The fused sweep of one member, specialised by <see cref="LaneActivation{TActivation}.Run{TKernel}"/>.</summary>
    private readonly struct SweepKernel(CpuEnsembleEngine<TActivation> engine, int m, MemberScratch scratch, bool update, StepRecord? record) : ILaneKernel
    {
        public void Run<TFunction, TLanes>()
            where TFunction : struct, ILaneFunction
            where TLanes : struct, ILanes<TLanes> =>
            new TwoLayerSweep<TFunction, TLanes>(engine._shape, engine._ld, engine._gamma0, engine._eta * engine._gamma0)
                .Run(m, engine._x, engine._weights[0], engine._readout, engine._phi[0], engine._g[0], engine._delta, scratch, update, record);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int v = Vector<double>.Count;
        var sum = Vector<double>.Zero;
        int i = 0;
        for (; i <= a.Length - v; i += v)
        {
            sum = Vector.FusedMultiplyAdd(new Vector<double>(a.Slice(i)), new Vector<double>(b.Slice(i)), sum);
        }

        double total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    /// <summary>target = a o b row by row (<paramref name="b"/> one row, repeated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> target)
    {
        for (int start = 0; start < a.Length; start += b.Length)
        {
            for (int i = 0; i < b.Length; i++)
            {
                target[start + i] = a[start + i] * b[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale(ReadOnlySpan<double> a, double s, Span<double> target)
    {
        for (int i = 0; i < a.Length; i++)
        {
            target[i] = a[i] * s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(ReadOnlySpan<double> a, double s, Span<double> target)
    {
        for (int i = 0; i < a.Length; i++)
        {
            target[i] += s * a[i];
        }
    }
}

/// <summary>One worker's scratch: phi'(h^l) per layer (Pa x ld), z and Delta o g (P x ld), and the sweep's accumulators.</summary>
internal sealed class MemberScratch
{
    public MemberScratch(EnsembleShape shape, int ld)
    {
        Dphi = [.. Enumerable.Range(0, shape.Layers).Select(_ => new double[shape.AllRows * ld])];
        Z = new double[shape.TrainRows * ld];
        U = new double[shape.TrainRows * ld];
        Sums = new double[(shape.AllRows + (2 * shape.TrainRows * shape.TrainRows)) * WidestLanes];
        Coefficients = new double[(shape.Dimension + 1) * shape.TrainRows];
    }

    public double[][] Dphi { get; }

    public double[] Z { get; }

    public double[] U { get; }

    /// <summary>
    /// Lanes of the accumulators: those of <see cref="Vector512Lanes"/>, the widest there are, so that a sweep of either
    /// width fits whichever the process uses (tests compare both).
    /// </summary>
    private static int WidestLanes => Vector512Lanes.Count;

    /// <summary>Per-lane partial sums of f (Pa), Phi (P^2) and G (P^2) in the fused sweep, one vector each.</summary>
    public double[] Sums { get; }

    /// <summary>Update coefficients of the fused sweep: (c / sqrt D) Delta_mu x_mu,d (D x P), then c Delta_mu (P).</summary>
    public double[] Coefficients { get; }

    public static long Doubles(EnsembleShape shape, long ld) =>
        (shape.Layers * shape.AllRows * ld) + (2L * shape.TrainRows * ld)
        + ((shape.AllRows + (2L * shape.TrainRows * shape.TrainRows)) * WidestLanes) + ((shape.Dimension + 1L) * shape.TrainRows);
}
