using FieldTheory.Compute;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The ILGPU implementation of <see cref="ISampleEngine"/>: the field and tangent samples live on the device
/// (<see cref="DeviceSamples"/>); each layer step uploads the memory rows and the source factor rows, launches the
/// field update (<see cref="DeepKernels.Forward{TActivation}"/> or <see cref="DeepKernels.Backward"/>, grid stride
/// over samples), on tangent samples the tangent update (grid stride over sample and direction) and the chunk-sum kernel, and reduces the chunk sums on the host in chunk order. The chunks are those of
/// <see cref="ChunkedSum"/>, each chunk is summed in sample order and the dot products inside a sample's update follow
/// <see cref="Dot"/>'s fixed order, so the sums are bit for bit those of <see cref="CpuSampleEngine{TActivation}"/>
/// (where the JIT does not fuse multiply-adds) and do not depend on the number of threads.
/// </summary>
/// <remarks>Memory beyond the samples: <see cref="KernelEngineMemory"/>.</remarks>
internal sealed class KernelSampleEngine<TActivation> : ISampleEngine
    where TActivation : struct, IActivation
{
    private readonly ComputeDevice _device;
    private readonly int? _threads;
    private readonly DeepKernelCache<TActivation> _kernels;
    private readonly DeviceSamples _field;
    private readonly DeviceSamples _tangent;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _memory;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _source;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _input;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _partial;
    private readonly double[] _partialHost;
    private readonly double[] _sourceHost;
    private readonly int _layers;
    private readonly int _points;
    private readonly int _train;
    private readonly int _size;
    private readonly double _c;

    /// <summary>Allocates both sample sets on <paramref name="device"/> and loads (or reuses) the kernels.</summary>
    /// <param name="device">Where the kernels run.</param>
    /// <param name="problem">The problem.</param>
    /// <param name="fieldCount">M.</param>
    /// <param name="tangentCount">M_t.</param>
    /// <param name="fieldSeed">Seed of the field samples.</param>
    /// <param name="tangentSeed">Seed of the tangent samples.</param>
    /// <param name="threads">Launched threads per kernel; null: one per sample or entry on a GPU, <see cref="ComputeDevice.CpuThreads"/> on the CPU accelerator.</param>
    public KernelSampleEngine(ComputeDevice device, DeepProblem problem, int fieldCount, int tangentCount, ulong fieldSeed, ulong tangentSeed, int? threads)
    {
        _device = device;
        _threads = threads;
        Accelerator accelerator = device.Accelerator;
        _kernels = DeepKernelCache<TActivation>.For(accelerator);
        _layers = problem.HiddenLayers;
        _points = problem.Points;
        _train = problem.TrainCount;
        _size = problem.Size;
        _c = problem.Eta * problem.Gamma0;
        long partial = KernelEngineMemory.PartialLength(problem, fieldCount, tangentCount);
        _partialHost = new double[partial];
        _sourceHost = new double[(long)_points * _size];
        try
        {
            _field = new DeviceSamples(accelerator, problem, fieldCount, withTangents: false, fieldSeed);
            _tangent = new DeviceSamples(accelerator, problem, tangentCount, withTangents: true, tangentSeed);
            _partial = accelerator.Allocate1D<double>(partial);
            _memory = accelerator.Allocate1D<double>((long)_points * _size);
            _source = accelerator.Allocate1D<double>((long)_points * _size);
            _input = accelerator.Allocate1D<double>((long)_points * _points);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int FieldCount => _field.Count;

    public int TangentCount => _tangent.Count;

    /// <summary>Where the per-sample work runs, in words.</summary>
    public static string Describe(ComputeDevice device) => device.IsGpu
        ? $"ILGPU kernels on {device.Accelerator.Name}, chunks of {ChunkedSum.ChunkSize} samples, deterministic chunk-ordered sums"
        : $"ILGPU kernels on the CPU accelerator ({ComputeDevice.CpuThreads} threads, grid stride), chunks of {ChunkedSum.ChunkSize} samples, deterministic chunk-ordered sums";

    public double[] ForwardField(LayerStep step, CancellationToken ct)
    {
        Update(_field, step, forward: true, ct);
        return RowSums(_field, _field.Layer(step.Layer).Phi, step);
    }

    public double[] ForwardTangent(LayerStep step, CancellationToken ct)
    {
        Update(_tangent, step, forward: true, ct);
        int past = step.Step * _train;
        return step.Layer < _layers ? TangentSums(_tangent.TangentR(step.Layer).DPhi, step, past) : new double[_points * past];
    }

    public double[] BackwardField(LayerStep step, CancellationToken ct)
    {
        Update(_field, step, forward: false, ct);
        SampleViews views = _field.Layer(step.Layer);
        double[] rows = RowSums(_field, views.Gradient, step);
        if (step.Layer < _layers)
        {
            return rows;
        }

        SumParameters q = Sums(_field, (long)_points, step.Start, columns: 1);
        _kernels.Shared.CorrelatorSums(q.Threads, q, views.Z, views.Phi, _partial.View);
        double[] correlator = Reduce(q.Chunks, _points);
        return [.. rows, .. correlator];
    }

    public double[] BackwardTangent(LayerStep step, CancellationToken ct)
    {
        Update(_tangent, step, forward: false, ct);
        int upToNow = (step.Step + 1) * _train;
        return step.Layer >= 2 ? TangentSums(_tangent.TangentU(step.Layer).DGradient, step, upToNow) : new double[_points * upToNow];
    }

    public void Dispose()
    {
        _field?.Dispose();
        _tangent?.Dispose();
        _memory?.Dispose();
        _source?.Dispose();
        _input?.Dispose();
        _partial?.Dispose();
    }

    // Uploads the step's rows and launches the per-sample update of one set.
    private void Update(DeviceSamples set, LayerStep step, bool forward, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        int columns = forward ? step.Start : step.End;
        if (columns > 0)
        {
            _memory.View.BaseView.SubView(0, step.Memory.Length).CopyFromCPU(step.Memory);
        }

        if (step.Source is { } factor)
        {
            int end = step.End;
            for (int mu = 0; mu < _points; mu++)
            {
                ReadOnlySpan<double> row = factor.Row(step.Start + mu);
                Span<double> target = _sourceHost.AsSpan(mu * end, end);
                row.CopyTo(target);
                target[row.Length..].Clear();
            }

            _source.View.BaseView.SubView(0, (long)_points * end).CopyFromCPU(_sourceHost.AsSpan(0, _points * end));
        }

        if (forward && step.Layer == 1 && step.Step == 0)
        {
            var input = new double[_points * _points];
            for (int mu = 0; mu < _points; mu++)
            {
                step.Input.Row(mu).CopyTo(input.AsSpan(mu * _points));
            }

            _input.View.CopyFromCPU(input);
        }

        int threads = _threads ?? (_device.IsGpu ? set.Count : Math.Min(ComputeDevice.CpuThreads, set.Count));
        var p = new MarchParameters(
            threads, set.Count, _points, _train, _size, step.Layer, _layers, step.Step, step.Start, step.End, _c, set.Seed, set.Packed, set.Directions);
        SampleViews views = set.Layer(step.Layer);
        TangentViews r = set.TangentR(step.Layer);
        TangentViews u = set.TangentU(step.Layer);
        if (forward)
        {
            _kernels.Forward(threads, p, views, _memory.View, _source.View, _input.View);
        }
        else
        {
            _kernels.Shared.Backward(threads, p, views, _memory.View, _source.View);
        }

        if (r.Present == 0 && u.Present == 0)
        {
            return;
        }

        // The tangent directions are independent: one work item per (sample, direction).
        long items = (long)set.Count * (step.Step + 1) * _train;
        var q = p with { Threads = (int)Math.Min(_threads ?? (_device.IsGpu ? int.MaxValue : ComputeDevice.CpuThreads), items) };
        if (forward)
        {
            _kernels.Shared.ForwardTangents(q.Threads, q, views, r, u, _memory.View);
        }
        else
        {
            _kernels.Shared.BackwardTangents(q.Threads, q, views, r, u, _memory.View);
        }
    }

    private double[] RowSums(DeviceSamples set, ArrayView<double> x, LayerStep step)
    {
        SumParameters q = Sums(set, (long)_points * step.End, step.Start, step.End);
        _kernels.Shared.OuterRowSums(q.Threads, q, x, _partial.View);
        return Reduce(q.Chunks, _points * step.End);
    }

    private double[] TangentSums(ArrayView<double> tangent, LayerStep step, int directions)
    {
        if (directions == 0)
        {
            return [];
        }

        SumParameters q = Sums(_tangent, (long)_points * directions, step.Start, directions);
        _kernels.Shared.TangentRowSums(q.Threads, q, tangent, _tangent.Offsets, _partial.View);
        return Reduce(q.Chunks, _points * directions);
    }

    private SumParameters Sums(DeviceSamples set, long entriesPerChunk, int start, int columns)
    {
        int chunks = (set.Count + ChunkedSum.ChunkSize - 1) / ChunkedSum.ChunkSize;
        long entries = chunks * entriesPerChunk;
        int threads = (int)Math.Min(_threads ?? (_device.IsGpu ? int.MaxValue : ComputeDevice.CpuThreads), entries);
        return new SumParameters(threads, set.Count, ChunkedSum.ChunkSize, chunks, _points, columns, _size, start, set.Packed);
    }

    // Adds the chunks' sums in chunk order, as ChunkedSum does.
    private double[] Reduce(int chunks, int width)
    {
        _device.Accelerator.Synchronize();
        _partial.View.BaseView.SubView(0, (long)chunks * width).CopyToCPU(_partialHost.AsSpan(0, chunks * width));
        var total = new double[width];
        for (int c = 0; c < chunks; c++)
        {
            ReadOnlySpan<double> partial = _partialHost.AsSpan(c * width, width);
            for (int k = 0; k < width; k++)
            {
                total[k] += partial[k];
            }
        }

        return total;
    }
}
