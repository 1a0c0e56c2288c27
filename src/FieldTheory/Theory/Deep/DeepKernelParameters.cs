using ILGPU;

namespace FieldTheory.Theory.Deep;

/// <summary>Sizes and scalars of one launch of <see cref="DeepKernels.Forward{TActivation}"/> or <see cref="DeepKernels.Backward"/>.</summary>
/// <param name="Threads">Launched threads; each walks the samples with a grid stride.</param>
/// <param name="Count">Samples in the set.</param>
/// <param name="Points">Train plus test points.</param>
/// <param name="Train">P.</param>
/// <param name="Size">Points (T + 1), the length of a sample's path.</param>
/// <param name="Layer">l.</param>
/// <param name="Layers">L.</param>
/// <param name="Step">n.</param>
/// <param name="Start">n Points, the first index of the step's block.</param>
/// <param name="End">(n + 1) Points.</param>
/// <param name="StepScale">c = eta gamma0.</param>
/// <param name="Seed">The set's random seed.</param>
/// <param name="Packed">Tangent entries per sample and family (<see cref="SiteSamples.Tangents.Layout"/>).</param>
/// <param name="Directions">P (T + 1) tangent directions per family.</param>
internal readonly record struct MarchParameters(
    int Threads,
    int Count,
    int Points,
    int Train,
    int Size,
    int Layer,
    int Layers,
    int Step,
    int Start,
    int End,
    double StepScale,
    ulong Seed,
    long Packed,
    int Directions);

/// <summary>Sizes of one launch of the chunk-sum kernels: entries (chunk, mu, column), each summed over the chunk's samples in order.</summary>
/// <param name="Threads">Launched threads; each owns one contiguous range of entries.</param>
/// <param name="Count">Samples in the set.</param>
/// <param name="ChunkSize">Samples per chunk (<see cref="ChunkedSum.ChunkSize"/>).</param>
/// <param name="Chunks">ceil(Count / ChunkSize).</param>
/// <param name="Points">Rows mu of the step's block.</param>
/// <param name="Columns">Columns per row: End for kernel rows, the direction count for response rows, 1 for f.</param>
/// <param name="Size">Path length of a sample.</param>
/// <param name="Start">First index of the step's block.</param>
/// <param name="Packed">Tangent entries per sample.</param>
internal readonly record struct SumParameters(int Threads, int Count, int ChunkSize, int Chunks, int Points, int Columns, int Size, int Start, long Packed);

/// <summary>One layer's sample paths on the device, [sample][index] for paths and [sample][mu] for the current step.</summary>
/// <param name="Phi">phi(h^l), [M][Size].</param>
/// <param name="Gradient">g^l, [M][Size].</param>
/// <param name="NoiseU">Standard normals behind u^l, [M][Size] (u^1 itself at l = 1).</param>
/// <param name="NoiseR">Standard normals behind r^l, [M][Size] (r^L itself at index 0 for l = L).</param>
/// <param name="H">h^l(n), [M][Points].</param>
/// <param name="Z">z^l(n), [M][Points].</param>
/// <param name="D1">phi'(h^l(n)), [M][Points].</param>
/// <param name="D2">phi''(h^l(n)), [M][Points].</param>
internal readonly record struct SampleViews(
    ArrayView<double> Phi,
    ArrayView<double> Gradient,
    ArrayView<double> NoiseU,
    ArrayView<double> NoiseR,
    ArrayView<double> H,
    ArrayView<double> Z,
    ArrayView<double> D1,
    ArrayView<double> D2);

/// <summary>One layer's tangents of one source family on the device (absent: <c>Present</c> = 0 and placeholder views).</summary>
/// <param name="Present">1 when the layer has this family (r: l &lt; L, u: l &gt;= 2).</param>
/// <param name="DPhi">d phi, [M][Packed].</param>
/// <param name="DGradient">d g, [M][Packed].</param>
/// <param name="DH">d h at the current step, [M][Directions][Points].</param>
/// <param name="Offsets">Index i of direction d at <c>Offsets[d] + i</c> within a sample's packed row.</param>
/// <param name="First">First stored index of each direction.</param>
internal readonly record struct TangentViews(
    int Present,
    ArrayView<double> DPhi,
    ArrayView<double> DGradient,
    ArrayView<double> DH,
    ArrayView<long> Offsets,
    ArrayView<int> First);
