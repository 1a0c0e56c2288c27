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
/// loops on host memory). Same equations, initialisation streams, batch order, C outputs (one-hot targets) and probe
/// NTK (<see cref="CnnProbeNtk{TActivation}"/>: a unit error per output, the Jacobian rows of all members by two kernels
/// per layer, then K = gamma0^2 N J J^T as one batched product) as <see cref="CnnEnsemble"/>.
/// Peak device memory: 8 bytes x E x (<see cref="CnnWorkspace.Doubles"/>(B, C, Q) + 2 n_params + B C + (Q C)^2), with
/// B = max(P, P_test, batch), n_params = sum_l C_{l+1} C_l k_l^2 + C N and Q the probe (the workspace holds the probe
/// Jacobian, Q C n_params; (Q C)^2 is the probe kernel); refused when above the accelerator's memory (or
/// <see cref="CnnEnsemble.MaxBytes"/> on the CPU); the host keeps the recorded outputs and probe kernels,
/// 8 E R (C (P + P_test) + (Q C)^2) bytes, refused above <see cref="CnnEnsemble.MaxBytes"/>.
/// </summary>
internal sealed class CnnDeviceEnsemble<TActivation> : IDisposable
    where TActivation : struct, IActivation
{
    private readonly ComputeDevice _device;
    private readonly CnnArchitecture _arch;
    private readonly MapShape[] _shapes;
    private readonly IReadOnlyList<ConvolutionLayer> _convs;
    private readonly int _members;
    private readonly int _outputCount;
    private readonly int _threads;
    private readonly BatchedGemm _gemm;
    private readonly List<IDisposable> _owned = [];
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _input, _targets, _pooled, _outputs, _delta, _readout, _columnGradient, _weightGradient;
    private readonly MemoryBuffer1D<double, Stride1D.Dense>? _jacobian, _kernel;
    private readonly MemoryBuffer1D<double, Stride1D.Dense>[] _weights, _columns, _pre, _post, _field;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ConvolutionGeometry> _unfold;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ConvolutionGeometry> _fold;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>> _activate;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double> _poolReadout;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, double> _errorSignal;
    private readonly Action<Index1D, int, ArrayView<double>, int, int> _unitSignal;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double> _topField;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double> _readoutUpdate;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ProbeGeometry> _probeWeightGradient;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ProbeGeometry> _probeReadoutGradient;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, double> _axpy;

    public CnnDeviceEnsemble(ComputeDevice device, CnnArchitecture architecture, int members, int capacity, int outputs, int probe, bool useBlas, bool ilgpuOnly)
    {
        _device = device;
        _arch = architecture;
        _shapes = architecture.Shapes();
        _convs = architecture.Convolutions;
        _members = members;
        _outputCount = outputs;
        _threads = ComputeDevice.CpuThreads;
        long limit = device.IsGpu ? device.Accelerator.MemorySize : CnnEnsemble.MaxBytes;
        long parameters = CnnParameters.CountOf(architecture, outputs);
        long rows = (long)probe * outputs;
        long perMember = CnnWorkspace.Doubles(architecture, capacity, outputs, probe) + (2L * parameters) + ((long)capacity * outputs) + (rows * rows);
        long bytes = 8L * members * perMember;
        if (bytes > limit)
        {
            throw new ArgumentException($"The device ensemble needs about {bytes >> 20} MiB ({members} members x {perMember} doubles of workspace, parameters and probe kernel); {device.Describe()} allows {limit >> 20} MiB. Use fewer members, images, a smaller width or a smaller probe.");
        }

        Accelerator acc = device.Accelerator;
        _gemm = new BatchedGemm(device, _threads, useBlas ? BatchedGemm.DefaultBlasThreshold : BatchedGemm.NeverBlas, ilgpuOnly);
        int depth = _convs.Count;
        _input = Own(acc.Allocate1D<double>((long)_shapes[0].Values * capacity));
        _targets = Own(acc.Allocate1D<double>((long)capacity * outputs));
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
        _readout = Own(acc.Allocate1D<double>((long)members * outputs * architecture.Width));
        _pooled = Own(acc.Allocate1D<double>((long)members * capacity * architecture.Width));
        _outputs = Own(acc.Allocate1D<double>((long)members * capacity * outputs));
        _delta = Own(acc.Allocate1D<double>((long)members * capacity * outputs));
        if (probe > 0)
        {
            _jacobian = Own(acc.Allocate1D<double>(members * rows * parameters));
            _kernel = Own(acc.Allocate1D<double>(members * rows * rows));
        }

        _unfold = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ConvolutionGeometry>(CnnKernels.Unfold);
        _fold = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ConvolutionGeometry>(CnnKernels.FoldTimesDerivative<TActivation>);
        _activate = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>>(CnnKernels.Activate<TActivation>);
        _poolReadout = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double>(CnnKernels.PoolReadout);
        _errorSignal = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, int, double>(CnnKernels.ErrorSignal);
        _unitSignal = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, int, int>(CnnKernels.UnitSignal);
        _topField = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double>(CnnKernels.TopField<TActivation>);
        _readoutUpdate = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ReadoutGeometry, double>(CnnKernels.ReadoutUpdate);
        _probeWeightGradient = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, ProbeGeometry>(CnnKernels.ProbeWeightGradient);
        _probeReadoutGradient = acc.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ProbeGeometry>(CnnKernels.ProbeReadoutGradient);
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
        (double[] trainY, double[] testY, int outputs) = images.Targets(s.Targets);
        int[] recorded = s.RecordedSteps();
        int[][] batches = CnnEnsemble.BatchOrder(s, p);
        int probeSize = s.NtkProbe * outputs * s.NtkProbe * outputs;
        long hostBytes = 8L * s.Members * recorded.Length * (((long)outputs * (p + pTest)) + probeSize);
        if (hostBytes > CnnEnsemble.MaxBytes)
        {
            throw new ArgumentException($"The recorded outputs and probe kernels need about {hostBytes >> 20} MiB of host memory; the limit is {CnnEnsemble.MaxBytes >> 20} MiB. Use fewer members, images, a smaller probe or fewer recorded steps.");
        }

        var trainOutputs = new double[(long)s.Members * recorded.Length * p * outputs];
        var testOutputs = new double[(long)s.Members * recorded.Length * pTest * outputs];
        var ntk = new double[(long)s.Members * recorded.Length * probeSize];
        int[] all = Enumerable.Range(0, p).ToArray();
        int[] allTest = Enumerable.Range(0, pTest).ToArray();
        int[] probe = Enumerable.Range(0, s.NtkProbe).ToArray();
        var clock = Stopwatch.StartNew();
        using var ensemble = new CnnDeviceEnsemble<TActivation>(device, architecture, s.Members, Math.Max(Math.Max(p, pTest), s.Batch ?? p), outputs, s.NtkProbe, useBlas, ilgpuOnly);
        ensemble.Initialize(s.Seed);
        int record = 0;
        int[]? loaded = null;
        for (int n = 0; n <= s.Steps; n++)
        {
            token.ThrowIfCancellationRequested();
            if (record < recorded.Length && recorded[record] == n)
            {
                ensemble.Load(data.X, trainY, all, images.Shape);
                ensemble.Record(s.Gamma0, p, trainOutputs, record, recorded.Length);
                ensemble.Load(data.TestX, testY, allTest, images.Shape);
                ensemble.Record(s.Gamma0, pTest, testOutputs, record, recorded.Length);
                if (probe.Length > 0)
                {
                    ensemble.Load(data.TestX, testY, probe, images.Shape);
                    ensemble.ProbeNtk(probe.Length, s.Gamma0, ntk, record, recorded.Length);
                }

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
                ensemble.Load(data.X, trainY, indices, images.Shape);
                loaded = indices;
            }

            ensemble.Forward(indices.Length, s.Gamma0);
            ensemble.Backward(indices.Length, (double)p / indices.Length, s.Gamma0, s.Eta);
        }

        device.Accelerator.Synchronize();
        return new CnnEnsembleResult(architecture, s, recorded, outputs, trainY, testY, trainOutputs, testOutputs, ntk, clock.Elapsed.TotalSeconds);
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

    /// <summary>Copies the images <paramref name="indices"/> (C_0 x B x S x S) and their targets (B x C rows of <paramref name="y"/>) to the device.</summary>
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
        var targets = new double[batch * _outputCount];
        for (int b = 0; b < batch; b++)
        {
            Array.Copy(y, indices[b] * _outputCount, targets, b * _outputCount, _outputCount);
        }

        _targets.View.SubView(0, targets.Length).CopyFromCPU(targets);
    }

    private void Record(double gamma0, int count, double[] outputs, int record, int records)
    {
        Forward(count, gamma0);
        _device.Accelerator.Synchronize();
        int perMember = count * _outputCount;
        var host = new double[_members * perMember];
        _outputs.View.SubView(0, host.Length).CopyToCPU(host);
        for (int m = 0; m < _members; m++)
        {
            Array.Copy(host, m * perMember, outputs, ((long)m * records + record) * perMember, perMember);
        }
    }

    /// <summary>
    /// The probe NTK of every member on the <paramref name="probe"/> loaded images (<see cref="CnnProbeNtk{TActivation}"/>):
    /// per output c a unit error signal, its backward fields, and the Jacobian rows q C + c of all members; then
    /// K = gamma0^2 N J J^T batched over members, copied to <paramref name="ntk"/> at record <paramref name="record"/>.
    /// </summary>
    private void ProbeNtk(int probe, double gamma0, double[] ntk, int record, int records)
    {
        MemoryBuffer1D<double, Stride1D.Dense> jacobian = _jacobian!, kernel = _kernel!;
        int width = _arch.Width, rows = probe * _outputCount;
        int parameters = (int)CnnParameters.CountOf(_arch, _outputCount);
        Forward(probe, gamma0);
        long signals = (long)_members * rows;
        for (int c = 0; c < _outputCount; c++)
        {
            int threads = Threads(signals);
            _unitSignal(threads, threads, _delta.View.SubView(0, signals), _outputCount, c);
            Fields(probe, gamma0);
            long start = 0;
            for (int l = 0; l < _convs.Count; l++)
            {
                int fanIn = CnnParameters.FanIn(_shapes[l], _convs[l]);
                var g = new ProbeGeometry
                {
                    Members = _members,
                    Probe = probe,
                    Outputs = _outputCount,
                    Output = c,
                    Channels = _convs[l].Channels,
                    FanIn = fanIn,
                    Positions = _shapes[l + 1].Positions,
                    Parameters = parameters,
                    Start = start,
                    Scale = 1.0 / Math.Sqrt(fanIn),
                };
                threads = Threads(_members * (long)probe * g.Channels * fanIn);
                _probeWeightGradient(threads, threads, _field[l].View, _columns[l].View, jacobian.View, g);
                start += (long)g.Channels * fanIn;
            }

            var readout = new ProbeGeometry
            {
                Members = _members,
                Probe = probe,
                Outputs = _outputCount,
                Output = c,
                FanIn = width,
                Parameters = parameters,
                Start = start,
                Scale = 1.0 / (gamma0 * width),
            };
            threads = Threads(_members * (long)rows * width);
            _probeReadoutGradient(threads, threads, _pooled.View, jacobian.View, readout);
        }

        _gemm.Run(
            _members, rows, rows, parameters, gamma0 * gamma0 * width,
            new MatrixOperand(jacobian, (long)rows * parameters, parameters),
            new MatrixOperand(jacobian, (long)rows * parameters, parameters, Transposed: true),
            0.0,
            new MatrixOperand(kernel, (long)rows * rows, rows));
        _device.Accelerator.Synchronize();
        int size = rows * rows;
        var host = new double[_members * size];
        kernel.View.SubView(0, host.Length).CopyToCPU(host);
        for (int m = 0; m < _members; m++)
        {
            Array.Copy(host, m * size, ntk, ((long)m * records + record) * size, size);
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

        int poolThreads = Threads((long)_members * batch);
        _poolReadout(poolThreads, poolThreads, _post[^1].View, _readout.View, _pooled.View, _outputs.View, Readout(batch), gamma0);
    }

    private ReadoutGeometry Readout(int batch) => new()
    {
        Members = _members,
        Batch = batch,
        Width = _arch.Width,
        Positions = _shapes[^1].Positions,
        Outputs = _outputCount,
    };

    /// <summary>One gradient step on the loaded batch after <see cref="Forward"/>: the error signal, the fields, the update.</summary>
    private void Backward(int batch, double weight, double gamma0, double eta)
    {
        long signals = (long)_members * batch * _outputCount;
        int threads = Threads(signals);
        _errorSignal(threads, threads, _outputs.View.SubView(0, signals), _targets.View, _delta.View.SubView(0, signals), batch * _outputCount, weight);
        Fields(batch, gamma0);
        Update(batch, gamma0, eta);
    }

    /// <summary>The backward fields e^l of every member into <see cref="_field"/> for the error signal in <see cref="_delta"/>.</summary>
    private void Fields(int batch, double gamma0)
    {
        int depth = _convs.Count, width = _arch.Width, positions = _shapes[^1].Positions;
        long top = (long)_members * width * batch * positions;
        int threads = Threads(top);
        _topField(threads, threads, _pre[depth - 1].View.SubView(0, top), _delta.View, _readout.View, _field[depth - 1].View.SubView(0, top), Readout(batch), 1.0 / (gamma0 * width * positions));
        for (int l = depth - 1; l > 0; l--)
        {
            int fanIn = CnnParameters.FanIn(_shapes[l], _convs[l]);
            int columns = batch * _shapes[l + 1].Positions;
            int channels = _convs[l].Channels;
            _gemm.Run(
                _members, fanIn, columns, channels, 1.0 / Math.Sqrt(fanIn),
                new MatrixOperand(_weights[l], (long)channels * fanIn, fanIn, Transposed: true),
                new MatrixOperand(_field[l], (long)channels * columns, columns),
                0.0,
                new MatrixOperand(_columnGradient, (long)fanIn * columns, columns));
            ConvolutionGeometry g = Geometry(l, batch);
            long below = g.MapPerMember * _members;
            threads = Threads(below);
            _fold(threads, threads, _columnGradient.View, _pre[l - 1].View.SubView(0, below), _field[l - 1].View.SubView(0, below), g);
        }
    }

    /// <summary>The readout and weight updates of every member from the fields of <see cref="Fields"/> and the same error signal.</summary>
    private void Update(int batch, double gamma0, double eta)
    {
        int threads = Threads(_readout.Length);
        _readoutUpdate(threads, threads, _delta.View, _pooled.View, _readout.View, Readout(batch), eta * gamma0);
        double rate = eta * gamma0 * gamma0 * _arch.Width;
        for (int l = _convs.Count - 1; l >= 0; l--)
        {
            int fanIn = CnnParameters.FanIn(_shapes[l], _convs[l]);
            int columns = batch * _shapes[l + 1].Positions;
            int channels = _convs[l].Channels;
            _gemm.Run(
                _members, channels, fanIn, columns, 1.0,
                new MatrixOperand(_field[l], (long)channels * columns, columns),
                new MatrixOperand(_columns[l], (long)fanIn * columns, columns, Transposed: true),
                0.0,
                new MatrixOperand(_weightGradient, (long)channels * fanIn, fanIn));
            long weights = _weights[l].Length;
            threads = Threads(weights);
            _axpy(threads, threads, _weightGradient.View.SubView(0, weights), _weights[l].View, rate * (1.0 / Math.Sqrt(fanIn)));
        }
    }
}
