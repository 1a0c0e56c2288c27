using FieldTheory.Compute;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>The infinite-width two-layer solution: the estimate, its integration error, and optional two-time kernels.</summary>
/// <param name="Mean">The estimate of every series.</param>
/// <param name="Error">Integration error of every series (same shapes).</param>
/// <param name="Kernels">Phi^1(n, m) and G^1(n, m), when recorded.</param>
/// <param name="DeviceBytes">Bytes allocated on the accelerator (for the memory check).</param>
/// <param name="GroupDeltas">Delta_a(n) of every group of the rule, [(T + 1) P] time-major (the SIMD CPU solver's; the
/// saddle point the fluctuation solver expands around).</param>
internal sealed record TwoLayerSolution(Series Mean, Series Error, TwoTimeKernels? Kernels, long DeviceBytes, double[][]? GroupDeltas = null);

/// <summary>
/// Exact forward integration of the infinite-width two-layer network (DESIGN.md 3.1) over the sites of a
/// <see cref="SiteRule"/>: a site is (h in R^Q over training and test inputs, w), with h(0) = F z_{1..r} where
/// F F^T = K^x, and w(0) = z_{r+1}. Each group of the rule evolves with its own Delta, so the spread between groups
/// estimates the integration error of the whole trajectory. Peak memory: <see cref="TwoLayerMemory.PeakBytes"/>.
/// </summary>
/// <typeparam name="TActivation">The model's generated activation.</typeparam>
internal sealed class TwoLayerSolver<TActivation> : ITwoLayerSolver
    where TActivation : struct, IActivation
{
    private readonly ComputeDevice _device;
    private readonly Action<Index1D, StepParameters, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<double>, ArrayView<double>> _step;

    private readonly Action<Index1D, ReduceParameters, ArrayView<double>, ArrayView<int>, ArrayView<double>, ArrayView<double>,
        ArrayView<double>, ArrayView<double>> _reduce;

    private readonly Action<Index1D, BlockParameters, ArrayView<double>, ArrayView<int>, ArrayView<double>> _sumBlocks;

    private readonly bool _siteParallel;

    /// <summary>Loads the site kernels for <typeparamref name="TActivation"/> on the device.</summary>
    /// <param name="device">The accelerator.</param>
    /// <param name="siteParallel">
    /// One thread per site, whose contributions are then added in 64-site blocks and the blocks in order (the same sums
    /// as one thread per 64-site chunk, to the last bit): by default on a GPU, where a few hundred threads each adding 64
    /// sites into global memory in turn took 2.6 ms a step on an H200 (25600 sites). Not with two-time kernels.
    /// </param>
    public TwoLayerSolver(ComputeDevice device, bool? siteParallel = null)
    {
        _device = device;
        _siteParallel = siteParallel ?? device.IsGpu;
        _step = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, StepParameters, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>>(TwoLayerKernels.Step<TActivation>);
        _reduce = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ReduceParameters, ArrayView<double>, ArrayView<int>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>>(TwoLayerKernels.ReduceGroups);
        _sumBlocks = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, BlockParameters, ArrayView<double>, ArrayView<int>,
            ArrayView<double>>(TwoLayerKernels.SumBlocks);
    }

    /// <inheritdoc />
    public string Backend => _device.IsGpu ? "ILGPU kernel on " + _device.Accelerator.Name : "ILGPU kernel on the CPU accelerator";

    /// <inheritdoc />
    public TwoLayerSolution Solve(TwoLayerProblem problem, SiteRule rule, int? threads, IProgress<double>? progress, CancellationToken ct)
    {
        int q = problem.Points;
        int n = problem.Train;
        int pairs = n * n;
        int steps = problem.Steps;
        int t1 = steps + 1;
        int groups = rule.Groups;
        int stride = q + (2 * pairs);
        int historyLength = problem.RecordTwoTime ? t1 : 0;
        bool siteParallel = _siteParallel && !problem.RecordTwoTime;
        int[] blockTable = SiteLayout.ChunkTable(rule, out int blocks);
        int chunks = blocks;
        int[] chunkTable = siteParallel ? SiteLayout.ChunkTable(rule, out chunks, chunkSize: 1) : blockTable;
        var accelerator = _device.Accelerator;
        int launched = threads ?? (_device.IsGpu ? chunks : Math.Min(ComputeDevice.CpuThreads, chunks));

        (double[] h0, double[] w0) = SiteLayout.InitialSites(problem, rule);
        double[] inputGram = SiteLayout.TrainColumns(problem);
        long twoTimeLength = problem.RecordTwoTime ? (long)chunks * t1 * 2 * pairs : 1;
        using var h = accelerator.Allocate1D(h0);
        using var w = accelerator.Allocate1D(w0);
        using var weight = accelerator.Allocate1D(rule.Weights);
        using var features = accelerator.Allocate1D<double>((long)rule.Count * 2 * n);
        using var gram = accelerator.Allocate1D(inputGram);
        using var delta = accelerator.Allocate1D<double>((long)groups * n);
        using var chunkView = accelerator.Allocate1D(chunkTable);
        using var partial = accelerator.Allocate1D<double>((long)chunks * stride);
        using var history = accelerator.Allocate1D<double>(problem.RecordTwoTime ? (long)rule.Count * t1 * 2 * n : 1);
        using var twoTime = accelerator.Allocate1D<double>(twoTimeLength);
        long deviceBytes = 8 * (h.Length + w.Length + weight.Length + features.Length + gram.Length + delta.Length + partial.Length
            + history.Length + twoTime.Length) + (4 * chunkView.Length);

        var record = new GroupRecord(groups, t1, q, n, problem.RecordTwoTime);
        if (!problem.RecordTwoTime)
        {
            // Delta stays on the device (TwoLayerKernels.ReduceGroups): two or three launches a step and one copy at the end, instead
            // of a synchronisation and two copies a step (docs/theory.md, "GPU").
            using var targets = accelerator.Allocate1D(problem.Targets);
            using var initialF = accelerator.Allocate1D<double>((long)groups * n);
            using var groupSums = accelerator.Allocate1D<double>((long)t1 * groups * stride);
            using var groupBlocks = accelerator.Allocate1D(SiteLayout.GroupChunks(blockTable, blocks, groups));
            using var blockView = accelerator.Allocate1D(siteParallel ? blockTable : [0]);
            using var blockSums = accelerator.Allocate1D<double>(siteParallel ? (long)blocks * stride : 1);
            deviceBytes += 8 * (targets.Length + initialF.Length + groupSums.Length + blockSums.Length) + (4 * (groupBlocks.Length + blockView.Length));
            var blockParameters = new BlockParameters(blocks, stride);
            for (int step = 0; step <= steps; step++)
            {
                ct.ThrowIfCancellationRequested();
                var parameters = new StepParameters(launched, chunks, q, n, stride, problem.Eta * problem.Gamma0, step > 0 ? 1 : 0, step, 0);
                _step(launched, parameters, h.View, w.View, weight.View, features.View, gram.View, delta.View, chunkView.View, partial.View, history.View, twoTime.View);
                if (siteParallel)
                {
                    _sumBlocks(blocks * stride, blockParameters, partial.View, blockView.View, blockSums.View);
                }

                _reduce(groups * stride, new ReduceParameters(groups, n, stride, problem.Gamma0, problem.Centered ? 1 : 0, step),
                    siteParallel ? blockSums.View : partial.View, groupBlocks.View, targets.View, initialF.View, delta.View, groupSums.View);
                if (progress is not null && (step % 32 == 0 || step == steps))
                {
                    accelerator.Synchronize();
                    progress.Report((double)(step + 1) / t1);
                }
            }

            double[] sumsHost = groupSums.GetAsArray1D();
            var unused = new double[n];
            for (int step = 0; step <= steps; step++)
            {
                for (int g = 0; g < groups; g++)
                {
                    record.Observe(g, step, sumsHost.AsSpan(((step * groups) + g) * stride, stride), problem, unused);
                }
            }

            (Series deviceMean, Series deviceError, _) = record.Combine(rule, problem);
            return new TwoLayerSolution(deviceMean, deviceError, null, deviceBytes);
        }

        var partialHost = new double[chunks * stride];
        var twoTimeHost = problem.RecordTwoTime ? new double[twoTimeLength] : [];
        var sums = new double[groups * stride];
        var deltaHost = new double[groups * n];
        int rowLength = 2 * pairs * t1;
        var twoTimeSums = problem.RecordTwoTime ? new double[groups * rowLength] : [];
        for (int step = 0; step <= steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var parameters = new StepParameters(launched, chunks, q, n, stride, problem.Eta * problem.Gamma0, step > 0 ? 1 : 0, step, historyLength);
            _step(launched, parameters, h.View, w.View, weight.View, features.View, gram.View, delta.View, chunkView.View, partial.View, history.View, twoTime.View);
            accelerator.Synchronize();
            partial.View.BaseView.CopyToCPU(partialHost.AsSpan());
            SiteLayout.ReduceInOrder(partialHost, chunkTable, chunks, stride, stride, sums);
            for (int g = 0; g < groups; g++)
            {
                record.Observe(g, step, sums.AsSpan(g * stride, stride), problem, deltaHost.AsSpan(g * n, n));
            }

            if (problem.RecordTwoTime)
            {
                twoTime.View.BaseView.CopyToCPU(twoTimeHost.AsSpan());
                SiteLayout.ReduceInOrder(twoTimeHost, chunkTable, chunks, rowLength, rowLength, twoTimeSums);
                record.ObserveTwoTime(step, twoTimeSums, rowLength);
            }

            delta.View.BaseView.CopyFromCPU((ReadOnlySpan<double>)deltaHost);
            progress?.Report((double)(step + 1) / t1);
        }

        (Series mean, Series error, TwoTimeKernels? kernels) = record.Combine(rule, problem);
        return new TwoLayerSolution(mean, error, kernels, deviceBytes);
    }
}
