using FieldTheory.Compute;

namespace FieldTheory.Ensembles;

/// <summary>The engines an ensemble can run on.</summary>
internal enum EnsembleBackend
{
    /// <summary>Decided by <see cref="EnsembleBackends.Choose"/>.</summary>
    Auto,

    /// <summary><see cref="EnsembleEngine{TActivation}"/>: ILGPU kernels (GPU, or ILGPU's CPU accelerator for tests).</summary>
    Ilgpu,

    /// <summary><see cref="CpuEnsembleEngine{TActivation}"/>: member-parallel SIMD and OpenBLAS on the host.</summary>
    Cpu,
}

/// <summary>
/// The one place that decides which engine trains an ensemble: ILGPU kernels on a GPU; on the CPU the
/// <see cref="CpuEnsembleEngine{TActivation}"/>, because ILGPU's CPU accelerator has no SIMD (docs/ensembles.md has the
/// measurements). The choice is recorded in <see cref="Results.EnsembleResult.Device"/>.
/// </summary>
internal static class EnsembleBackends
{
    public static EnsembleBackend Choose(ComputeDevice device, EnsembleOptions options) =>
        options.Backend != EnsembleBackend.Auto ? options.Backend
        : device.IsGpu || options.IlgpuProducts ? EnsembleBackend.Ilgpu
        : EnsembleBackend.Cpu;

    public static IEnsembleEngine Create<TActivation>(NetworkModel model, EnsembleShape shape, EnsembleSettings settings, ComputeDevice device, EnsembleOptions options)
        where TActivation : struct, IActivation =>
        Choose(device, options) == EnsembleBackend.Cpu
            ? new CpuEnsembleEngine<TActivation>(model, shape, settings.Gamma0, settings.Eta, options.CpuThreads, options.BlasThreshold != BatchedGemm.NeverBlas)
            : new EnsembleEngine<TActivation>(device, shape, settings.Gamma0, settings.Eta, options.CpuThreads, options.BlasThreshold, options.IlgpuProducts);
}
