using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// One set of sample paths on an accelerator, laid out as <see cref="SiteSamples"/> is on the host but flat:
/// per quantity one buffer [layer][sample][index], and per tangent family one buffer [layer][sample][packed index]
/// (r-tangents for layers 1..L-1, u-tangents for layers 2..L). <see cref="Layer"/>, <see cref="TangentR"/> and
/// <see cref="TangentU"/> hand the kernels one layer's views. Device memory: exactly
/// <see cref="SiteSamples.BytesPerSample"/> per sample, plus the tangent layout tables.
/// </summary>
internal sealed class DeviceSamples : IDisposable
{
    private readonly int _layers;
    private readonly long _pathLength;
    private readonly long _siteLength;
    private readonly long _packedLength;
    private readonly long _dhLength;
    private readonly List<MemoryBuffer> _buffers = [];
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _phi;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _gradient;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _noiseU;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _noiseR;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _h;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _z;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _d1;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _d2;
    private readonly Family _r;
    private readonly Family _u;
    private readonly MemoryBuffer1D<long, Stride1D.Dense> _offsets;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _first;

    public DeviceSamples(Accelerator accelerator, DeepProblem problem, int count, bool withTangents, ulong seed)
    {
        _layers = problem.HiddenLayers;
        Count = count;
        Seed = seed;
        WithTangents = withTangents;
        (long[] offsets, int[] first, long packed) = SiteSamples.Tangents.Layout(problem.TrainCount, problem.Steps, problem.Points);
        Packed = packed;
        Directions = first.Length;
        _pathLength = (long)count * problem.Size;
        _siteLength = (long)count * problem.Points;
        _packedLength = withTangents ? count * packed : 0;
        _dhLength = withTangents ? (long)count * Directions * problem.Points : 0;

        MemoryBuffer1D<T, Stride1D.Dense> Zeros<T>(long length)
            where T : unmanaged
        {
            MemoryBuffer1D<T, Stride1D.Dense> buffer = accelerator.Allocate1D<T>(Math.Max(1, length));
            buffer.MemSetToZero();
            _buffers.Add(buffer);
            return buffer;
        }

        _phi = Zeros<double>(_layers * _pathLength);
        _gradient = Zeros<double>(_layers * _pathLength);
        _noiseU = Zeros<double>(_layers * _pathLength);
        _noiseR = Zeros<double>(_layers * _pathLength);
        _h = Zeros<double>(_layers * _siteLength);
        _z = Zeros<double>(_layers * _siteLength);
        _d1 = Zeros<double>(_layers * _siteLength);
        _d2 = Zeros<double>(_layers * _siteLength);
        int families = _layers - 1;
        _r = new Family(Zeros<double>(families * _packedLength), Zeros<double>(families * _packedLength), Zeros<double>(families * _dhLength));
        _u = new Family(Zeros<double>(families * _packedLength), Zeros<double>(families * _packedLength), Zeros<double>(families * _dhLength));
        _offsets = Zeros<long>(offsets.Length);
        _offsets.View.CopyFromCPU(offsets);
        _first = Zeros<int>(first.Length);
        _first.View.CopyFromCPU(first);
    }

    public int Count { get; }

    public ulong Seed { get; }

    public bool WithTangents { get; }

    /// <summary>Tangent entries per sample and family.</summary>
    public long Packed { get; }

    /// <summary>P (T + 1) directions per family.</summary>
    public int Directions { get; }

    /// <summary>The tangent layout: index i of direction d at <c>Offsets[d] + i</c>.</summary>
    public ArrayView<long> Offsets => _offsets.View;

    /// <summary>Layer l's paths and current-step values.</summary>
    public SampleViews Layer(int l)
    {
        ArrayView<double> Path(MemoryBuffer1D<double, Stride1D.Dense> b) => ((ArrayView<double>)b.View).SubView((l - 1) * _pathLength, _pathLength);
        ArrayView<double> Site(MemoryBuffer1D<double, Stride1D.Dense> b) => ((ArrayView<double>)b.View).SubView((l - 1) * _siteLength, _siteLength);
        return new SampleViews(Path(_phi), Path(_gradient), Path(_noiseU), Path(_noiseR), Site(_h), Site(_z), Site(_d1), Site(_d2));
    }

    /// <summary>Layer l's tangents with respect to the r^l sources (present for l &lt; L on a tangent set).</summary>
    public TangentViews TangentR(int l) => Views(_r, l < _layers ? l - 1 : -1);

    /// <summary>Layer l's tangents with respect to the u^l sources (present for l &gt;= 2 on a tangent set).</summary>
    public TangentViews TangentU(int l) => Views(_u, l >= 2 ? l - 2 : -1);

    public void Dispose()
    {
        foreach (MemoryBuffer buffer in _buffers)
        {
            buffer.Dispose();
        }
    }

    private TangentViews Views(Family family, int slot)
    {
        if (!WithTangents || slot < 0)
        {
            return new TangentViews(0, family.DPhi.View, family.DGradient.View, family.DH.View, _offsets.View, _first.View);
        }

        return new TangentViews(
            1,
            ((ArrayView<double>)family.DPhi.View).SubView(slot * _packedLength, _packedLength),
            ((ArrayView<double>)family.DGradient.View).SubView(slot * _packedLength, _packedLength),
            ((ArrayView<double>)family.DH.View).SubView(slot * _dhLength, _dhLength),
            _offsets.View,
            _first.View);
    }

    private sealed record Family(
        MemoryBuffer1D<double, Stride1D.Dense> DPhi,
        MemoryBuffer1D<double, Stride1D.Dense> DGradient,
        MemoryBuffer1D<double, Stride1D.Dense> DH);
}
