using System.Diagnostics;
using FieldTheory.Compute;
using FieldTheory.Ensembles;
using FieldTheory.Randomness;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Convolutions;

/// <summary>
/// The CNN ensemble on an ILGPU accelerator (CUDA, or the CPU accelerator for tests): all members advance together,
/// one kernel launch per operation for the whole ensemble, convolutions as im2col (<see cref="CnnKernels.Unfold"/>)
/// plus batched products over members (<see cref="BatchedGemm"/>: the ILGPU GEMM kernel on a GPU, OpenBLAS or plain
/// loops on host memory). Same equations, initialisation streams and batch order as <see cref="CnnEnsemble"/>.
/// Peak device memory: 8 bytes x E x (<see cref="CnnWorkspace.Doubles"/>(B) + 2 x parameters per member), with
/// B = max(P, P_test, batch); refused when above the accelerator's memory (or <see cref="CnnEnsemble.MaxBytes"/> on the CPU).
/// </summary>
internal sealed class CnnDeviceEnsemble<TActivation> : IDisposable
    where TActivation : struct, IActivation
{
    private readonly ComputeDevice _device;
    private readonly CnnArchitecture _arch;
    private readonly MapShape[] _shapes;
    private readonly IReadOnlyList<ConvolutionLayer> _convs;
    private readonly int _members;
    private readonly int _threads;
    private readonly BatchedGemm _gemm;
    private readonly List<IDisposable> _owned = [];
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _input, _targets, _pooled, _outputs, _delta, _readout, _columnGradient, _weightGradient;
    private readonly MemoryBuffer1D<double, Stride1D.Dense>[] _weights, _columns, _pre, _post, _field;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ConvolutionGeometry> _unfold;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ConvolutionGeometry> _fold;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>> _activate;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int, int, double> _poolReadout;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, double> _errorSignal;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int, double> _topField;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, double> _readoutUpdate;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, double> _axpy;

    public CnnDeviceEnsemble(ComputeDevice device, CnnArchitecture architecture, int members, int capacity, bool useBlas, bool ilgpuOnly)
    {
        _device = device;
        _arch = architecture;
        _shapes = architecture.Shapes();
        _convs = architecture.Convolutions;
        _members = members;
        _threads = ComputeDevice.CpuThreads;
        long limit = device.IsGpu ? device.Accelerator.MemorySize : CnnEnsemble.MaxBytes;
        long bytes = 8L * members * (CnnWorkspace.Doubles(architecture, capacity, outputs: 1, probe: 0) + (2L * CnnParameters.CountOf(architecture, outputs: 1)));
        if (bytes > limit)
        {
            throw new ArgumentException($"The device ensemble needs about {bytes >> 20} MiB ({members} members x {CnnWorkspace.Doubles(architecture, capacity, outputs: 1, probe: 0)} doubles of workspace plus parameters); {device.Describe()} allows {limit >> 20} MiB. Use fewer members, images or a smaller width.");
        }

        Accelerator acc = device.Accelerator;
        _gemm = new BatchedGemm(device, _threads, useBlas ? BatchedGemm.DefaultBlasThreshold : BatchedGemm.NeverBlas, ilgpuOnly);
        int depth = _convs.Count;
        _input = Own(acc.Allocate1D<double>((long)_shapes[0].Values * capacity));
        _targets = Own(acc.Allocate1D<double>(capacity));
        _weights = new MemoryBuffer1D<double, Stride1D.Dense>[depth];
        _columns = new MemoryBuffer1D<double, Stride1D.Dense>[depth];
        _pre = new MemoryBuffer1D<double, Stride1D.Dense>[depth];
        _post = new MemoryBuffer1D<double, Stride1D.Dense>[depth];
        _field = new MemoryBuffer1D<double, Stride1D.Dense>[depth];
        long maxColumns = 0, maxWeights = 0;
        for (int l = 0; l < depth; l++)
        {
            long weights = (long)_convs[l].Channels * CnnParameters.FanIn(_shapes[l], _convs[l]);
            long columns = (long)CnnParameters.FanIn(_shapes[l], _convs[l]) * capacity * _shapes[l + 1].Positions;
            long map = (long)_shapes[l + 1].Values * capacity;
            _weights[l] = Own(acc.Allocate1D<double>(members * weights));
            _columns[l] = Own(acc.Allocate1D<double>(members * columns));
            _pre[l] = Own(acc.Allocate1D<double>(members * map));
            _post[l] = Own(acc.Allocate1D<double>(members * map));
            _field[l] = Own(acc.Allocate1D<double>(members * map));
            maxColumns = Math.Max(maxColumns, columns);
            maxWeights = Math.Max(maxWeights, weights);
        }

        _columnGradient = Own(acc.Allocate1D<double>(members * maxColumns));
        _weightGradient = Own(acc.Allocate1D<double>(members * maxWeights));
        _readout = Own(acc.Allocate1D<double>((long)members * architecture.Width));
        _pooled = Own(acc.Allocate1D<double>((long)members * capacity * architecture.Width));
        _outputs = Own(acc.Allocate1D<double>((long)members * capacity));
        _delta = Own(acc.Allocate1D<double>((long)members * capacity));

        _unfold = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ConvolutionGeometry>(CnnKernels.Unfold);
        _fold = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ConvolutionGeometry>(CnnKernels.FoldTimesDerivative<TActivation>);
        _activate = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>>(CnnKernels.Activate<TActivation>);
        _poolReadout = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int, int, double>(CnnKernels.PoolReadout);
        _errorSignal = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, double>(CnnKernels.ErrorSignal);
        _topField = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, int, double>(CnnKernels.TopField<TActivation>);
        _readoutUpdate = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, int, double>(CnnKernels.ReadoutUpdate);
        _axpy = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, double>(CnnKernels.Axpy);
    }

    /// <summary>
    /// Trains the ensemble as <see cref="CnnEnsemble"/> does and returns the same record. <paramref name="ilgpuOnly"/>
    /// keeps every product on the ILGPU GEMM kernel even on the CPU accelerator (what CUDA runs; tests use it).
    /// </summary>
    public static CnnEnsembleResult Train(ComputeDevice device, CnnArchitecture architecture, CnnImages images, CnnTrainingSettings s, bool useBlas, bool ilgpuOnly, CancellationToken token)
    {
        var data = images.Data;
        int p = data.Count, pTest = data.TestCount;
        int[] recorded = s.RecordedSteps();
        int[][] batches = CnnEnsemble.BatchOrder(s, p);
        var trainOutputs = new double[(long)s.Members * recorded.Length * p];
        var testOutputs = new double[(long)s.Members * recorded.Length * pTest];
        int[] all = Enumerable.Range(0, p).ToArray();
        int[] allTest = Enumerable.Range(0, pTest).ToArray();
        var clock = Stopwatch.StartNew();
        using var ensemble = new CnnDeviceEnsemble<TActivation>(device, architecture, s.Members, Math.Max(Math.Max(p, pTest), s.Batch ?? p), useBlas, ilgpuOnly);
        ensemble.Initialize(s.Seed);
        int record = 0;
        int[]? loaded = null;
        for (int n = 0; n <= s.Steps; n++)
        {
            token.ThrowIfCancellationRequested();
            if (record < recorded.Length && recorded[record] == n)
            {
                ensemble.Load(data.X, data.Y, all, images.Shape);
                ensemble.Record(s.Gamma0, p, trainOutputs, record, recorded.Length);
                ensemble.Load(data.TestX, data.TestY!, allTest, images.Shape);
                ensemble.Record(s.Gamma0, pTest, testOutputs, record, recorded.Length);
                loaded = null;
                record++;
            }

            if (n == s.Steps)
            {
                break;
            }

            int[] indices = batches[n];
            if (!ReferenceEquals(indices, loaded))
            {
                ensemble.Load(data.X, data.Y, indices, images.Shape);
                loaded = indices;
            }

            ensemble.Forward(indices.Length, s.Gamma0);
            ensemble.Backward(indices.Length, (double)p / indices.Length, s.Gamma0, s.Eta);
        }

        device.Accelerator.Synchronize();
        return new CnnEnsembleResult(architecture, s, recorded, 1, data.Y, data.TestY!, trainOutputs, testOutputs, [], clock.Elapsed.TotalSeconds);
    }

    public void Dispose()
    {
        foreach (IDisposable buffer in _owned)
        {
            buffer.Dispose();
        }
    }

    private MemoryBuffer1D<double, Stride1D.Dense> Own(MemoryBuffer1D<double, Stride1D.Dense> buffer)
    {
        _owned.Add(buffer);
        return buffer;
    }

    private int Threads(long work) => Launch.Threads(_device, _threads, work);

    private void Initialize(ulong seed)
    {
        var init = _device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, RandomStream, long, int, int>(EnsembleKernels.InitNormal);
        var random = new RandomStream(seed);
        for (int l = 0; l <= _convs.Count; l++)
        {
            MemoryBuffer1D<double, Stride1D.Dense> target = l < _convs.Count ? _weights[l] : _readout;
            int threads = Threads(target.Length);
            init(threads, threads, target.View, random, target.Length / _members, l, CnnParameters.WeightPurpose);
        }
    }

    /// <summary>Copies the images <paramref name="indices"/> (C x B x S x S) and their targets to the device.</summary>
    private void Load(double[] x, double[] y, int[] indices, MapShape shape)
    {
        int batch = indices.Length, positions = shape.Positions;
        var host = new double[shape.Values * batch];
        for (int b = 0; b < batch; b++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                Array.Copy(x, (indices[b] * shape.Values) + (c * positions), host, ((c * batch) + b) * positions, positions);
            }
        }

        _device.Accelerator.Synchronize();
        _input.View.SubView(0, host.Length).CopyFromCPU(host);
        _targets.View.SubView(0, batch).CopyFromCPU(indices.Select(i => y[i]).ToArray());
    }

    private void Record(double gamma0, int count, double[] outputs, int record, int records)
    {
        Forward(count, gamma0);
        _device.Accelerator.Synchronize();
        var host = new double[_members * count];
        _outputs.View.SubView(0, host.Length).CopyToCPU(host);
        for (int m = 0; m < _members; m++)
        {
            Array.Copy(host, m * count, outputs, ((long)m * records + record) * count, count);
        }
    }

    private ConvolutionGeometry Geometry(int l, int batch) => new()
    {
        Members = _members,
        Channels = _shapes[l].Channels,
        Batch = batch,
        Size = _shapes[l].Size,
        Kernel = _convs[l].Kernel,
        Stride = _convs[l].Stride,
        Padding = _convs[l].Padding,
        OutSize = _shapes[l + 1].Size,
        InputMemberStride = l == 0 ? 0 : (long)_shapes[l].Values * batch,
    };

    private void Forward(int batch, double gamma0)
    {
        for (int l = 0; l < _convs.Count; l++)
        {
            ConvolutionGeometry g = Geometry(l, batch);
            int fanIn = CnnParameters.FanIn(_shapes[l], _convs[l]);
            int columns = batch * _shapes[l + 1].Positions;
            int channels = _convs[l].Channels;
            int threads = Threads(g.ColumnsPerMember * _members);
            _unfold(threads, threads, l == 0 ? _input.View : _post[l - 1].View, _columns[l].View, g);
            _gemm.Run(
                _members, channels, columns, fanIn, 1.0 / Math.Sqrt(fanIn),
                new MatrixOperand(_weights[l], (long)channels * fanIn, fanIn),
                new MatrixOperand(_columns[l], (long)fanIn * columns, columns),
                0.0,
                new MatrixOperand(_pre[l], (long)channels * columns, columns));
            long count = (long)_members * channels * columns;
            threads = Threads(count);
            _activate(threads, threads, _pre[l].View.SubView(0, count), _post[l].View.SubView(0, count));
        }

        int width = _arch.Width, positions = _shapes[^1].Positions;
        int poolThreads = Threads((long)_members * batch);
        _poolReadout(poolThreads, poolThreads, _post[^1].View, _readout.View, _pooled.View, _outputs.View, _members, batch, width, positions, gamma0);
    }

    private void Backward(int batch, double weight, double gamma0, double eta)
    {
        int depth = _convs.Count, width = _arch.Width, positions = _shapes[^1].Positions;
        long pairs = (long)_members * batch;
        int threads = Threads(pairs);
        _errorSignal(threads, threads, _outputs.View.SubView(0, pairs), _targets.View, _delta.View.SubView(0, pairs), batch, weight);
        long top = (long)_members * width * batch * positions;
        threads = Threads(top);
        _topField(threads, threads, _pre[depth - 1].View.SubView(0, top), _delta.View, _readout.View, _field[depth - 1].View.SubView(0, top), batch, width, positions, 1.0 / (gamma0 * width * positions));
        threads = Threads(_readout.Length);
        _readoutUpdate(threads, threads, _delta.View, _pooled.View, _readout.View, batch, width, eta * gamma0);

        double rate = eta * gamma0 * gamma0 * width;
        for (int l = depth - 1; l >= 0; l--)
        {
            int fanIn = CnnParameters.FanIn(_shapes[l], _convs[l]);
            int columns = batch * _shapes[l + 1].Positions;
            int channels = _convs[l].Channels;
            double scale = 1.0 / Math.Sqrt(fanIn);
            var field = new MatrixOperand(_field[l], (long)channels * columns, columns);
            if (l > 0)
            {
                _gemm.Run(
                    _members, fanIn, columns, channels, scale,
                    new MatrixOperand(_weights[l], (long)channels * fanIn, fanIn, Transposed: true),
                    field,
                    0.0,
                    new MatrixOperand(_columnGradient, (long)fanIn * columns, columns));
                ConvolutionGeometry g = Geometry(l, batch);
                long below = g.MapPerMember * _members;
                threads = Threads(below);
                _fold(threads, threads, _columnGradient.View, _pre[l - 1].View.SubView(0, below), _field[l - 1].View.SubView(0, below), g);
            }

            _gemm.Run(
                _members, channels, fanIn, columns, 1.0,
                field,
                new MatrixOperand(_columns[l], (long)fanIn * columns, columns, Transposed: true),
                0.0,
                new MatrixOperand(_weightGradient, (long)channels * fanIn, fanIn));
            long weights = _weights[l].Length;
            threads = Threads(weights);
            _axpy(threads, threads, _weightGradient.View.SubView(0, weights), _weights[l].View, rate * scale);
        }
    }
}
