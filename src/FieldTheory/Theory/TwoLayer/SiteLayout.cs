using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// What both two-layer backends share: the initial sites, the fixed chunks of at most
/// <see cref="TwoLayerMemory.ChunkSize"/> sites (never straddling a group) and the in-order reduction of their partial
/// sums, which makes every result independent of the thread count.
/// </summary>
internal static class SiteLayout
{
    /// <summary>h(0) = F z_{1..r}, w(0) = z_{r+1} for every node z of the rule (F F^T = K^x); h is [site][Q].</summary>
    public static (double[] H, double[] W) InitialSites(TwoLayerProblem problem, SiteRule rule)
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

    /// <summary>Chunk starts (C + 1 entries), then the group of each chunk (C entries).</summary>
    public static int[] ChunkTable(SiteRule rule, out int chunks, int chunkSize = TwoLayerMemory.ChunkSize)
    {
        var starts = new List<int>();
        var owners = new List<int>();
        for (int g = 0; g < rule.Groups; g++)
        {
            for (int start = rule.GroupStart[g]; start < rule.GroupStart[g + 1]; start += chunkSize)
            {
                starts.Add(start);
                owners.Add(g);
            }
        }

        chunks = starts.Count;
        starts.Add(rule.Count);
        return [.. starts, .. owners];
    }

    /// <summary>The first chunk of every group and the chunk count at the end, [groups + 1] (a group's chunks are consecutive).</summary>
    public static int[] GroupChunks(int[] chunkTable, int chunks, int groups)
    {
        var first = new int[groups + 1];
        for (int c = chunks - 1; c >= 0; c--)
        {
            first[chunkTable[chunks + 1 + c]] = c;
        }

        first[groups] = chunks;
        return first;
    }

    /// <summary>K^x_{mu a} for every point mu and training input a, [Q][P].</summary>
    public static double[] TrainColumns(TwoLayerProblem problem)
    {
        int q = problem.Points;
        int n = problem.Train;
        var columns = new double[q * n];
        for (int mu = 0; mu < q; mu++)
        {
            for (int a = 0; a < n; a++)
            {
                columns[(mu * n) + a] = problem.InputGram[(mu * q) + a];
            }
        }

        return columns;
    }

    /// <summary>
    /// The sums of chunks [<paramref name="first"/>, <paramref name="end"/>) (one group's), chunk after chunk: the same
    /// order and bits as <see cref="ReduceInOrder"/> gives that group.
    /// </summary>
    public static void ReduceChunks(double[] partial, int first, int end, int length, Span<double> sums)
    {
        sums.Clear();
        for (int c = first; c < end; c++)
        {
            ReadOnlySpan<double> source = partial.AsSpan(c * length, length);
            for (int k = 0; k < length; k++)
            {
                sums[k] += source[k];
            }
        }
    }

    /// <summary>Adds the first <paramref name="length"/> numbers of each chunk's partial sums into its group's totals, chunk after chunk.</summary>
    public static void ReduceInOrder(double[] partial, int[] chunkTable, int chunks, int stride, int length, double[] sums)
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
