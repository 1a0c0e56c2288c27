using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// The loaded deep kernels of one accelerator (<see cref="DeepKernels"/>), loaded once per accelerator (and per activation
/// for the generic forward update) and kept: a reload recompiles (TOOLCHAIN.md: 4-8 ms each, 0.2 s for the first).
/// </summary>
internal sealed class DeepKernelCache<TActivation>
    where TActivation : struct, IActivation
{
    private static readonly ConditionalWeakTable<Accelerator, DeepKernelCache<TActivation>> Loaded = [];

    private DeepKernelCache(Accelerator accelerator)
    {
        Forward = accelerator.LoadAutoGroupedStreamKernel<Index1D, MarchParameters, SampleViews, ArrayView<double>, ArrayView<double>, ArrayView<double>>(
            DeepKernels.Forward<TActivation>);
        Shared = DeepSharedKernels.For(accelerator);
    }

    public Action<Index1D, MarchParameters, SampleViews, ArrayView<double>, ArrayView<double>, ArrayView<double>> Forward { get; }

    public DeepSharedKernels Shared { get; }

    /// <summary>The kernels loaded on <paramref name="accelerator"/>, loading them on first use.</summary>
    public static DeepKernelCache<TActivation> For(Accelerator accelerator) => Loaded.GetValue(accelerator, a => new DeepKernelCache<TActivation>(a));
}

/// <summary>The kernels that do not depend on the activation.</summary>
internal sealed class DeepSharedKernels
{
    private static readonly ConditionalWeakTable<Accelerator, DeepSharedKernels> LoadedShared = [];

    private DeepSharedKernels(Accelerator accelerator)
    {
        Backward = accelerator.LoadAutoGroupedStreamKernel<Index1D, MarchParameters, SampleViews, ArrayView<double>, ArrayView<double>>(DeepKernels.Backward);
        ForwardTangents = accelerator.LoadAutoGroupedStreamKernel<Index1D, MarchParameters, SampleViews, TangentViews, TangentViews, ArrayView<double>>(
            DeepKernels.ForwardTangents);
        BackwardTangents = accelerator.LoadAutoGroupedStreamKernel<Index1D, MarchParameters, SampleViews, TangentViews, TangentViews, ArrayView<double>>(
            DeepKernels.BackwardTangents);
        OuterRowSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, SumParameters, ArrayView<double>, ArrayView<double>>(DeepKernels.OuterRowSums);
        TangentRowSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, SumParameters, ArrayView<double>, ArrayView<long>, ArrayView<double>>(
            DeepKernels.TangentRowSums);
        CorrelatorSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, SumParameters, ArrayView<double>, ArrayView<double>, ArrayView<double>>(
            DeepKernels.CorrelatorSums);
    }

    public Action<Index1D, MarchParameters, SampleViews, ArrayView<double>, ArrayView<double>> Backward { get; }

    public Action<Index1D, MarchParameters, SampleViews, TangentViews, TangentViews, ArrayView<double>> ForwardTangents { get; }

    public Action<Index1D, MarchParameters, SampleViews, TangentViews, TangentViews, ArrayView<double>> BackwardTangents { get; }

    public Action<Index1D, SumParameters, ArrayView<double>, ArrayView<double>> OuterRowSums { get; }

    public Action<Index1D, SumParameters, ArrayView<double>, ArrayView<long>, ArrayView<double>> TangentRowSums { get; }

    public Action<Index1D, SumParameters, ArrayView<double>, ArrayView<double>, ArrayView<double>> CorrelatorSums { get; }

    public static DeepSharedKernels For(Accelerator accelerator) => LoadedShared.GetValue(accelerator, a => new DeepSharedKernels(a));
}
