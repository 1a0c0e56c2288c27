using FieldTheory.Compute;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>The two-layer solver with its activation hidden, as <see cref="TheoryRunner"/> holds it.</summary>
internal interface ITwoLayerSolver
{
    /// <summary>Integrates <paramref name="problem"/> forward over the sites of <paramref name="rule"/>.</summary>
    /// <param name="problem">What to solve.</param>
    /// <param name="rule">The sites.</param>
    /// <param name="threads">Launched threads (ILGPU) or worker blocks (CPU), or null for the device default.</param>
    /// <param name="progress">Fraction of steps done.</param>
    /// <param name="ct">Cancels between steps.</param>
    TwoLayerSolution Solve(TwoLayerProblem problem, SiteRule rule, int? threads, IProgress<double>? progress, CancellationToken ct);

    /// <summary>Which implementation runs, for the result's method line.</summary>
    string Backend { get; }
}

/// <summary>Which implementation of the two-layer forward integration runs.</summary>
internal enum TwoLayerBackend
{
    /// <summary>The ILGPU kernel on a GPU, the SIMD CPU solver otherwise.</summary>
    Auto,

    /// <summary>The ILGPU kernel on the device's accelerator (also on the CPU accelerator, for cross-checks).</summary>
    Kernel,

    /// <summary>The SIMD CPU solver, whatever the device.</summary>
    Cpu,
}

/// <summary>Creates the two-layer solver of a model on a device.</summary>
/// <param name="device">Where the ILGPU kernel runs.</param>
/// <param name="backend">Which implementation.</param>
/// <param name="siteParallel">One ILGPU thread per site, or null for the device's default (TwoLayerSolver).</param>
internal sealed class TwoLayerSolverFactory(ComputeDevice device, TwoLayerBackend backend = TwoLayerBackend.Auto, bool? siteParallel = null)
    : INetworkModelVisitor<ITwoLayerSolver>
{
    /// <inheritdoc />
    public ITwoLayerSolver Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation
    {
        bool kernel = backend == TwoLayerBackend.Kernel || (backend == TwoLayerBackend.Auto && device.IsGpu);
        if (kernel)
        {
            return new TwoLayerSolver<TActivation>(device, siteParallel);
        }

        return new TwoLayerCpuSolver<TActivation>(LaneActivation<TActivation>.For(model));
    }
}
