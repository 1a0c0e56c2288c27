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
internal sealed record TwoLayerSolution(Series Mean, Series Error, TwoTimeKernels? Kernels, long DeviceBytes);

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

    /// <summary>Loads the site kernel for <typeparamref name="TActivation"/> on the device.</summary>
    public TwoLayerSolver(ComputeDevice device)
    {
        _device = device;
        _step = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, StepParameters, ArrayView<double>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<double>, ArrayView<int>, ArrayView<double>,
            ArrayView<double>, ArrayView<double>>(TwoLayerKernels.Step<TActivation>);
    }

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
        int[] chunkTable = ChunkTable(rule, out int chunks);
        var accelerator = _device.Accelerator;
        int launched = threads ?? (_device.IsGpu ? chunks : Math.Min(ComputeDevice.CpuThreads, chunks));

        (double[] h0, double[] w0) = InitialSites(problem, rule);
        var inputGram = new double[q * n];
        for (int mu = 0; mu < q; mu++)
        {
            for (int a = 0; a < n; a++)
            {
                inputGram[(mu * n) + a] = problem.InputGram[(mu * q) + a];
            }
        }

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
            ReduceInOrder(partialHost, chunkTable, chunks, stride, stride, sums);
            for (int g = 0; g < groups; g++)
            {
                record.Observe(g, step, sums.AsSpan(g * stride, stride), problem, deltaHost.AsSpan(g * n, n));
            }

            if (problem.RecordTwoTime)
            {
                twoTime.View.BaseView.CopyToCPU(twoTimeHost.AsSpan());
                ReduceInOrder(twoTimeHost, chunkTable, chunks, rowLength, rowLength, twoTimeSums);
                record.ObserveTwoTime(step, twoTimeSums, rowLength);
            }

            delta.View.BaseView.CopyFromCPU((ReadOnlySpan<double>)deltaHost);
            progress?.Report((double)(step + 1) / t1);
        }

        (Series mean, Series error, TwoTimeKernels? kernels) = record.Combine(rule, problem);
        return new TwoLayerSolution(mean, error, kernels, deviceBytes);
    }

    // h(0) = F z_{1..r}, w(0) = z_{r+1} for every node z of the rule (F F^T = K^x).
    private static (double[] H, double[] W) InitialSites(TwoLayerProblem problem, SiteRule rule)
    {
        int q = problem.Points;
        (double[] factor, int rank) = InputFactor.Of(problem.InputGram, q);
        int d = rule.Dimension;
        if (d != rank + 1)
        {
            throw new ArgumentException($"The rule integrates over {d} dimensions but K^x has rank {rank}: {rank + 1} are needed.", nameof(rule));
        }

        var h = new double[(long)rule.Count * q];
        var w = new double[rule.Count];
        for (int i = 0; i < rule.Count; i++)
        {
            ReadOnlySpan<double> z = rule.Nodes.AsSpan(i * d, d);
            for (int mu = 0; mu < q; mu++)
            {
                double value = 0.0;
                for (int k = 0; k < rank; k++)
                {
                    value += factor[(mu * rank) + k] * z[k];
                }

                h[((long)i * q) + mu] = value;
            }

            w[i] = z[rank];
        }

        return (h, w);
    }

    // Chunk starts (C + 1), then the group of each chunk (C): chunks never straddle groups.
    private static int[] ChunkTable(SiteRule rule, out int chunks)
    {
        var starts = new List<int>();
        var owners = new List<int>();
        for (int g = 0; g < rule.Groups; g++)
        {
            for (int start = rule.GroupStart[g]; start < rule.GroupStart[g + 1]; start += TwoLayerMemory.ChunkSize)
            {
                starts.Add(start);
                owners.Add(g);
            }
        }

        chunks = starts.Count;
        starts.Add(rule.Count);
        return [.. starts, .. owners];
    }

    // Adds the first `length` numbers of each chunk's partial sums into its group's totals, chunk after chunk.
    private static void ReduceInOrder(double[] partial, int[] chunkTable, int chunks, int stride, int length, double[] sums)
    {
        Array.Clear(sums);
        for (int c = 0; c < chunks; c++)
        {
            int g = chunkTable[chunks + 1 + c];
            var source = partial.AsSpan(c * stride, length);
            var target = sums.AsSpan(g * length, length);
            for (int k = 0; k < length; k++)
            {
                target[k] += source[k];
            }
        }
    }
}

/// <summary>The two-layer solver with its activation hidden, as <see cref="TheoryRunner"/> holds it.</summary>
internal interface ITwoLayerSolver
{
    /// <summary>Integrates <paramref name="problem"/> forward over the sites of <paramref name="rule"/>.</summary>
    /// <param name="problem">What to solve.</param>
    /// <param name="rule">The sites.</param>
    /// <param name="threads">Launched threads, or null for the device default.</param>
    /// <param name="progress">Fraction of steps done.</param>
    /// <param name="ct">Cancels between steps.</param>
    TwoLayerSolution Solve(TwoLayerProblem problem, SiteRule rule, int? threads, IProgress<double>? progress, CancellationToken ct);
}

/// <summary>Creates the <see cref="TwoLayerSolver{TActivation}"/> of a model.</summary>
internal sealed class TwoLayerSolverFactory(ComputeDevice device) : INetworkModelVisitor<ITwoLayerSolver>
{
    /// <inheritdoc />
    public ITwoLayerSolver Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation => new TwoLayerSolver<TActivation>(device);
}
