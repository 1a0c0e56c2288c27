using FieldTheory.Compute;
using FieldTheory.Randomness;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Ensembles;

/// <summary>
/// E width-N mean-field MLPs trained side by side on one accelerator, exactly by DESIGN.md section 2:
/// h^1 = W^0 x / sqrt D, h^(l+1) = W^l phi(h^l) / sqrt N, f = w . phi(h^L) / (gamma0 N); backward fields
/// g^L = phi'(h^L) w, z^l = W^l^T g^(l+1) / sqrt N, g^l = phi'(h^l) z^l; kernels Phi^l = phi(h^l) phi(h^l)^T / N,
/// G^l = g^l g^l^T / N. All members live in one buffer per quantity, so every launch covers the whole ensemble.
/// Peak accelerator memory: 8 <see cref="EnsembleShape.DeviceDoubles"/> bytes.
/// </summary>
/// <remarks>
/// Weight updates are theta += eta gamma0^2 N sum_mu Delta_mu grad f_mu (gradient descent on the rescaled loss):
/// W^l += (eta gamma0 / sqrt N_l) sum_mu Delta_mu g^(l+1)_mu a^l_mu^T with a^0 = x, N_0 = D, a^l = phi(h^l), N_l = N;
/// w += eta gamma0 sum_mu Delta_mu phi(h^L_mu).
/// </remarks>
internal sealed class EnsembleEngine<TActivation> : IEnsembleEngine
    where TActivation : struct, IActivation
{
    private readonly ComputeDevice _device;
    private readonly int _threads;
    private readonly BatchedGemm _gemm;
    private readonly Action<Index1D, int, ArrayView<double>, RandomStream, long, int, int> _initNormal;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>> _activate;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int> _readoutField;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int> _backwardField;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int> _scaleRows;

    private readonly MemoryBuffer1D<double, Stride1D.Dense> _x;
    private readonly MemoryBuffer1D<double, Stride1D.Dense>[] _weights; // W^0 .. W^(L-1)
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _readout;   // w^L
    private readonly MemoryBuffer1D<double, Stride1D.Dense>[] _h, _phi, _dphi, _g, _featureKernel, _gradientKernel; // layers 1..L at [l - 1]
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _z, _u, _f, _delta;
    private readonly double _eta;
    private readonly long _blasThreshold;
    private double[]? _initialOutputs;
    private double[] _errors = [];

    public EnsembleEngine(ComputeDevice device, EnsembleShape shape, double gamma0, double eta, int threads, long blasThreshold = BatchedGemm.DefaultBlasThreshold, bool ilgpuProducts = false)
    {
        _device = device;
        Shape = shape;
        Gamma0 = gamma0;
        _eta = eta;
        _blasThreshold = blasThreshold;
        _threads = threads;
        Accelerator acc = device.Accelerator;
        _gemm = new BatchedGemm(device, threads, blasThreshold, ilgpuProducts);
        _initNormal = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, RandomStream, long, int, int>(EnsembleKernels.InitNormal);
        _activate = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>>(EnsembleKernels.Activate<TActivation>);
        _readoutField = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int>(EnsembleKernels.ReadoutField);
        _backwardField = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int>(EnsembleKernels.BackwardField);
        _scaleRows = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(EnsembleKernels.ScaleRows);

        (int e, int n, int d, int layers, int p, int pa) = (shape.Members, shape.Width, shape.Dimension, shape.Layers, shape.TrainRows, shape.AllRows);
        _x = acc.Allocate1D<double>((long)pa * d);
        _weights = new MemoryBuffer1D<double, Stride1D.Dense>[layers];
        for (int l = 0; l < layers; l++)
        {
            _weights[l] = acc.Allocate1D<double>((long)e * n * shape.FanIn(l));
        }

        _readout = acc.Allocate1D<double>((long)e * n);
        _h = Allocate(layers, (long)e * pa * n);
        _phi = Allocate(layers, (long)e * pa * n);
        _dphi = Allocate(layers, (long)e * pa * n);
        _g = Allocate(layers, (long)e * p * n);
        _featureKernel = Allocate(layers, (long)e * p * p);
        _gradientKernel = Allocate(layers, (long)e * p * p);
        _z = acc.Allocate1D<double>((long)e * p * n);
        _u = acc.Allocate1D<double>((long)e * p * n);
        _f = acc.Allocate1D<double>((long)e * pa);
        _delta = acc.Allocate1D<double>((long)e * p);
    }

    public EnsembleShape Shape { get; }

    public double Gamma0 { get; }

    /// <summary>Whether large products run on OpenBLAS.</summary>
    public bool UsesBlas => _gemm.UsesBlas;

    public string Description => _device.Describe() + (UsesBlas ? $" + OpenBLAS dgemm (products of M N K >= {_blasThreshold} per member)" : string.Empty);

    public int MaxStepsPerCall => 1;

    public void Evaluate(ReadOnlySpan<StepRecord> steps, TrainingErrors errors)
    {
        (int e, _, _, int layers, int p, int pa) = Shape;
        for (int s = 0; s < steps.Length; s++)
        {
            if (s > 0)
            {
                Update();
            }

            StepRecord record = steps[s];
            Forward();
            Backward();
            Kernels();
            ReadOutputs(record.Outputs);
            for (int l = 0; l < layers; l++)
            {
                ReadKernels(l, record.Feature[l], record.Gradient[l]);
            }

            _initialOutputs ??= (double[])record.Outputs.Clone();
            _errors = new double[e * p];
            for (int m = 0; m < e; m++)
            {
                errors.Fill(record.Outputs.AsSpan(m * pa, pa), _initialOutputs.AsSpan(m * pa, pa), _errors.AsSpan(m * p, p));
            }
        }
    }

    public void Update()
    {
        if (_errors.Length == 0)
        {
            throw new InvalidOperationException("Update needs the errors of an evaluated state.");
        }

        Update(_errors, _eta);
    }

    /// <summary>All weights N(0,1) from the counter-based generator keyed by (seed, member, layer, index).</summary>
    public void Initialize(ulong seed)
    {
        var random = new RandomStream(seed);
        for (int l = 0; l < Shape.Layers; l++)
        {
            Fill(_weights[l], random, (long)Shape.Width * Shape.FanIn(l), l);
        }

        Fill(_readout, random, Shape.Width, Shape.Layers);
    }

    /// <summary>Inputs, AllRows x D row-major: training rows first, then test rows.</summary>
    public void SetInputs(double[] x) => _x.View.CopyFromCPU(x);

    /// <summary>h^l, phi(h^l), phi'(h^l) for every layer and row, and f on every row.</summary>
    public void Forward()
    {
        (int e, int n, int d, int layers, _, int pa) = Shape;
        _gemm.Run(e, pa, n, d, 1.0 / Math.Sqrt(d), new MatrixOperand(_x, 0, d), new MatrixOperand(_weights[0], (long)n * d, d, Transposed: true), 0.0, Rows(_h[0], pa));
        Activate(0);
        for (int l = 1; l < layers; l++)
        {
            _gemm.Run(e, pa, n, n, 1.0 / Math.Sqrt(n), Rows(_phi[l - 1], pa), Rows(_weights[l], n).T, 0.0, Rows(_h[l], pa));
            Activate(l);
        }

        _gemm.Run(e, pa, 1, n, 1.0 / (Gamma0 * n), Rows(_phi[layers - 1], pa), new MatrixOperand(_readout, n, 1), 0.0, new MatrixOperand(_f, pa, 1));
    }

    /// <summary>Backward fields g^l on the training rows (after <see cref="Forward"/>).</summary>
    public void Backward()
    {
        (int e, int n, _, int layers, int p, int pa) = Shape;
        int top = layers - 1;
        _readoutField(Threads((long)e * p), Threads((long)e * p), _dphi[top].View, _readout.View, _g[top].View, pa, p, n);
        for (int l = top; l >= 1; l--)
        {
            // z^l = W^l^T g^(l+1) / sqrt N, written row-wise: z_mu = g_mu W^l / sqrt N.
            _gemm.Run(e, p, n, n, 1.0 / Math.Sqrt(n), Rows(_g[l], p), Rows(_weights[l], n), 0.0, Rows(_z, p));
            _backwardField(Threads((long)e * p), Threads((long)e * p), _dphi[l - 1].View, _z.View, _g[l - 1].View, pa, p, n);
        }
    }

    /// <summary>Phi^l and G^l (l = 1..L) on the training rows (after <see cref="Backward"/>).</summary>
    public void Kernels()
    {
        (int e, int n, _, int layers, int p, int pa) = Shape;
        for (int l = 0; l < layers; l++)
        {
            _gemm.Run(e, p, p, n, 1.0 / n, Rows(_phi[l], pa), Rows(_phi[l], pa).T, 0.0, Rows(_featureKernel[l], p));
            _gemm.Run(e, p, p, n, 1.0 / n, Rows(_g[l], p), Rows(_g[l], p).T, 0.0, Rows(_gradientKernel[l], p));
        }
    }

    /// <summary>
    /// One gradient step with the given errors (members x P, already scaled, e.g. by 1/B for online SGD); uses the
    /// fields of the last <see cref="Forward"/> and <see cref="Backward"/>.
    /// </summary>
    public void Update(double[] delta, double eta)
    {
        (int e, int n, int d, int layers, int p, int pa) = Shape;
        double c = eta * Gamma0;
        _delta.View.CopyFromCPU(delta);
        for (int l = 0; l < layers; l++)
        {
            // U = Delta_mu g^(l+1)_mu; W^l += (c / sqrt N_l) U^T a^l.
            _scaleRows(Threads((long)e * p), Threads((long)e * p), _g[l].View, _delta.View, _u.View, n);
            MatrixOperand input = l == 0 ? new MatrixOperand(_x, 0, d) : Rows(_phi[l - 1], pa);
            int fanIn = Shape.FanIn(l);
            _gemm.Run(e, n, fanIn, p, c / Math.Sqrt(fanIn), Rows(_u, p).T, input, 1.0, Rows(_weights[l], n));
        }

        _gemm.Run(e, 1, n, p, c, new MatrixOperand(_delta, p, p), Rows(_phi[layers - 1], pa), 1.0, new MatrixOperand(_readout, n, n));
    }

    /// <summary>f on every row, members x AllRows.</summary>
    public void ReadOutputs(double[] target)
    {
        _device.Accelerator.Synchronize();
        _f.View.CopyToCPU(target);
    }

    /// <summary>Phi^(l+1) and G^(l+1) of every member, members x P x P each.</summary>
    public void ReadKernels(int layer, double[] feature, double[] gradient)
    {
        _device.Accelerator.Synchronize();
        _featureKernel[layer].View.CopyToCPU(feature);
        _gradientKernel[layer].View.CopyToCPU(gradient);
    }

    /// <summary>The weights of W^l (members x N x N_l), or of w for l = L; for tests.</summary>
    public double[] ReadWeights(int layer)
    {
        _device.Accelerator.Synchronize();
        return (layer == Shape.Layers ? _readout : _weights[layer]).GetAsArray1D();
    }

    public void Dispose()
    {
        foreach (MemoryBuffer1D<double, Stride1D.Dense> buffer in new[] { _x, _readout, _z, _u, _f, _delta }
            .Concat(_weights).Concat(_h).Concat(_phi).Concat(_dphi).Concat(_g).Concat(_featureKernel).Concat(_gradientKernel))
        {
            buffer.Dispose();
        }
    }

    private void Activate(int layer)
    {
        long work = _h[layer].Length;
        _activate(Threads(work), Threads(work), _h[layer].View, _phi[layer].View, _dphi[layer].View);
    }

    private void Fill(MemoryBuffer1D<double, Stride1D.Dense> buffer, RandomStream random, long perMember, int layer) =>
        _initNormal(Threads(buffer.Length), Threads(buffer.Length), buffer.View, random, perMember, layer, EnsembleStreams.WeightPurpose);

    private int Threads(long work) => Launch.Threads(_device, _threads, work);

    /// <summary>A per-member stack of row-major matrices with <paramref name="rows"/> rows of the layer width.</summary>
    private MatrixOperand Rows(MemoryBuffer1D<double, Stride1D.Dense> buffer, int rows)
    {
        int columns = (int)(buffer.Length / Shape.Members / rows);
        return new MatrixOperand(buffer, (long)rows * columns, columns);
    }

    private MemoryBuffer1D<double, Stride1D.Dense>[] Allocate(int count, long length)
    {
        var buffers = new MemoryBuffer1D<double, Stride1D.Dense>[count];
        for (int i = 0; i < count; i++)
        {
            buffers[i] = _device.Accelerator.Allocate1D<double>(length);
        }

        return buffers;
    }
}
