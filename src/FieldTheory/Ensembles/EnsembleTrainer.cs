using FieldTheory.Compute;
using FieldTheory.Results;

namespace FieldTheory.Ensembles;

/// <summary>
/// Trains an ensemble of E independent width-N networks of a model (DESIGN.md sections 2 and 5) and summarises
/// every observable across members: the finite-width ground truth the theory is compared with.
/// </summary>
internal static class EnsembleTrainer
{
    /// <summary>
    /// Trains the ensemble on <paramref name="device"/>. Stops early, with
    /// <see cref="EnsembleResult.DivergedAtStep"/> set and only the finite steps recorded, when any member's loss stops
    /// being finite. Throws <see cref="Experiments.ExperimentException"/> when the run would not fit in memory and
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static EnsembleResult Train(NetworkModel model, EnsembleSettings settings, ComputeDevice device, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Train(model, settings, device, new EnsembleOptions(ComputeDevice.CpuThreads), progress, cancellationToken);

    internal static EnsembleResult Train(NetworkModel model, EnsembleSettings settings, ComputeDevice device, EnsembleOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Members < 2 || settings.Width < 1 || settings.Steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "An ensemble needs at least two members, width >= 1 and steps >= 0.");
        }

        return model.Accept(new Visitor(settings, device, options, progress, cancellationToken));
    }

    private sealed class Visitor(EnsembleSettings settings, ComputeDevice device, EnsembleOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
        : INetworkModelVisitor<EnsembleResult>
    {
        public EnsembleResult Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation =>
            new EnsembleRun<TActivation>(model, settings, device, options).Run(progress, cancellationToken);
    }
}

/// <summary>Engine knobs for tests and benchmarks: the engine, CPU threads, when products go to OpenBLAS, a per-step observer.</summary>
/// <param name="CpuThreads">Threads of the grid-stride kernels on the CPU accelerator, and most member blocks run in parallel by the CPU engine.</param>
/// <param name="BlasThreshold">Per-member M N K from which products use OpenBLAS on the CPU; <see cref="BatchedGemm.NeverBlas"/> for none.</param>
/// <param name="IlgpuProducts">Run every matrix product on the ILGPU kernel, also on the CPU.</param>
/// <param name="Observer">Called after each recorded step n with every member's observables (members x Q, see <see cref="Observables"/>).</param>
/// <param name="Backend">Which engine runs (<see cref="EnsembleBackend.Auto"/>: see <see cref="EnsembleBackends.Choose"/>).</param>
internal sealed record EnsembleOptions(int CpuThreads, long BlasThreshold = BatchedGemm.DefaultBlasThreshold, bool IlgpuProducts = false, Action<int, double[], Observables>? Observer = null, EnsembleBackend Backend = EnsembleBackend.Auto);
