using FieldTheory.Randomness;

namespace FieldTheory.Theory.Integration;

/// <summary>
/// Builds <see cref="SiteRule"/>s for d-dimensional standard normal integrals (DESIGN.md 3.1 and 4.4), each as
/// <see cref="Replicates"/> independent randomisations: Gauss-Hermite product grids under random rotations, randomly
/// scrambled Halton points (quasi-Monte Carlo), and Monte Carlo with antithetic pairs.
/// </summary>
internal static class SiteRules
{
    /// <summary>Independent randomisations for QMC and MC error estimates.</summary>
    public const int Replicates = 8;

    private const int RotationStream = 1;
    private const int HaltonStream = 2;
    private const int MonteCarloStream = 3;

    /// <summary>Nodes per dimension of the fine product grid with at most <paramref name="sites"/> nodes.</summary>
    public static int GridOrder(int sites, int dimension)
    {
        int n = (int)Math.Floor(Math.Pow(sites, 1.0 / dimension) + 1e-9);
        while (Math.Pow(n + 1, dimension) <= sites)
        {
            n++;
        }

        while (n > 1 && Math.Pow(n, dimension) > sites)
        {
            n--;
        }

        return n;
    }

    /// <summary>
    /// <see cref="Replicates"/> copies of an n^d Gauss-Hermite product grid (n = <see cref="GridOrder"/> of S/R), each
    /// rotated by its own Haar-random orthogonal matrix: randomised quadrature. Rotation matters twice: axis-aligned
    /// grids converge badly for integrands such as tanh(a . z) whose level sets are oblique (DESIGN.md 4.4), and every
    /// rotated grid is an unbiased-in-distribution estimate whose spread over independent rotations is an honest error.
    /// (Two resolutions of one grid were used before; |fine - coarse| was erratic by a factor of 40 in both directions
    /// at strong feature learning, where neighbouring grids can agree by chance.) The lightest nodes, weighing at most
    /// <paramref name="prunedMass"/> together, are left out (<see cref="GridPruning"/>).
    /// </summary>
    public static SiteRule ProductGrid(int sites, int dimension, ulong seed, double prunedMass = GridPruning.DefaultMass)
    {
        int n = GridOrder(sites / Replicates, dimension);
        (double[] x, double[] w) = GaussHermite.Rule(n);
        (double cutoff, int dropped, double droppedMass) = GridPruning.Cutoff(n, dimension, prunedMass);
        int perGrid = (int)Math.Pow(n, dimension) - dropped;
        var nodes = new double[Replicates * perGrid * dimension];
        var weights = new double[Replicates * perGrid];
        var starts = new int[Replicates + 1];
        for (int g = 0; g < Replicates; g++)
        {
            starts[g] = g * perGrid;
            WriteGrid(x, w, dimension, RandomRotation(dimension, seed, g), cutoff, nodes.AsSpan(g * perGrid * dimension), weights.AsSpan(g * perGrid));
        }

        starts[Replicates] = weights.Length;
        string pruned = dropped == 0
            ? string.Empty
            : $"; pruned: the {dropped} nodes of each grid weighing less than {cutoff:G3} ({droppedMass:G2} of the mass together) are left out";
        return new SiteRule(
            dimension,
            nodes,
            weights,
            starts,
            weights.Length,
            $"Gauss-Hermite product grid {n}^{dimension} under {Replicates} independent random rotations (error: their spread){pruned}");
    }

    /// <summary>One n^d Gauss-Hermite product grid under the random rotation of <paramref name="seed"/>.</summary>
    public static SiteRule RotatedGrid(int order, int dimension, ulong seed)
    {
        (double[] x, double[] w) = GaussHermite.Rule(order);
        int count = (int)Math.Pow(order, dimension);
        var nodes = new double[count * dimension];
        var weights = new double[count];
        WriteGrid(x, w, dimension, RandomRotation(dimension, seed, 0), 0.0, nodes, weights);
        return new SiteRule(dimension, nodes, weights, [0, count], count, $"randomly rotated Gauss-Hermite product grid {order}^{dimension}");
    }

    /// <summary>
    /// <see cref="Replicates"/> independently scrambled copies of the first S/(4R) Halton points, mapped through the
    /// normal quantile, each point z = (u, v) (v the last coordinate) followed by the rest of its orbit under the
    /// Gaussian's reflections: (-u, -v), (u, -v), (-u, v). Scrambling is a random linear digit permutation per
    /// dimension and digit (Matousek), which makes every point uniform on the cube while keeping the low discrepancy
    /// of the set. The orbits keep two exact symmetries of the site measure: v -> -v (the read-out weight w(0) is
    /// independent of the fields, so f(0) = E w phi(h) = 0 comes out exactly, and with it every component of an
    /// observable odd in w(0)), and z -> -z (an odd phi evaluates one node per mirror pair, <see cref="MirrorFolding"/>).
    /// In one dimension the orbit is the mirror pair.
    /// </summary>
    public static SiteRule ScrambledHalton(int sites, int dimension, ulong seed)
    {
        int orbit = HaltonOrbit(dimension);
        int perGroup = sites / Replicates / orbit * orbit;
        int[] primes = Primes(dimension);
        var rng = new RandomStream(seed);
        var nodes = new double[Replicates * perGroup * dimension];
        for (int g = 0; g < Replicates; g++)
        {
            for (int j = 0; j < dimension; j++)
            {
                int p = primes[j];
                int digits = (int)Math.Ceiling(53.0 / Math.Log2(p));
                var slope = new int[digits];
                var shift = new int[digits];
                ulong stream = StreamId.Of(g, j, HaltonStream);
                for (int k = 0; k < digits; k++)
                {
                    slope[k] = 1 + (int)(rng.Uniform(stream, (ulong)(2 * k)) * (p - 1));
                    shift[k] = (int)(rng.Uniform(stream, (ulong)((2 * k) + 1)) * p);
                }

                for (int i = 0; i < perGroup / orbit; i++)
                {
                    double x = 0.0;
                    double scale = 1.0 / p;
                    long index = i;
                    for (int k = 0; k < digits; k++)
                    {
                        int digit = (int)(index % p);
                        index /= p;
                        x += ((((long)slope[k] * digit) + shift[k]) % p) * scale;
                        scale /= p;
                    }

                    x = Math.Clamp(x, 1.0 / (1L << 53), 1.0 - (1.0 / (1L << 53)));
                    double z = InverseNormal.Quantile(x);
                    bool last = j == dimension - 1;
                    int first = (g * perGroup) + (orbit * i);
                    nodes[(first * dimension) + j] = z;
                    nodes[((first + 1) * dimension) + j] = -z;
                    if (orbit == 4)
                    {
                        nodes[((first + 2) * dimension) + j] = last ? -z : z;
                        nodes[((first + 3) * dimension) + j] = last ? z : -z;
                    }
                }
            }
        }

        return Replicated(nodes, perGroup, dimension, $"scrambled Halton quasi-Monte Carlo in reflection orbits, {Replicates} independent scramblings of {perGroup / orbit} points, each with its {orbit - 1} reflections (error: their spread)");
    }

    /// <summary>Nodes per scrambled Halton point in <see cref="ScrambledHalton"/>: its orbit under the reflections.</summary>
    public static int HaltonOrbit(int dimension) => dimension > 1 ? 4 : 2;

    /// <summary><see cref="Replicates"/> independent groups of S/R normal samples in antithetic pairs (z, -z).</summary>
    public static SiteRule AntitheticMonteCarlo(int sites, int dimension, ulong seed)
    {
        int perGroup = sites / Replicates / 2 * 2;
        var rng = new RandomStream(seed);
        var nodes = new double[Replicates * perGroup * dimension];
        for (int g = 0; g < Replicates; g++)
        {
            ulong stream = StreamId.Of(g, 0, MonteCarloStream);
            for (int pair = 0; pair < perGroup / 2; pair++)
            {
                for (int j = 0; j < dimension; j++)
                {
                    double z = rng.Normal(stream, (ulong)((pair * dimension) + j));
                    nodes[(((g * perGroup) + (2 * pair)) * dimension) + j] = z;
                    nodes[(((g * perGroup) + (2 * pair) + 1) * dimension) + j] = -z;
                }
            }
        }

        return Replicated(nodes, perGroup, dimension, $"Monte Carlo with antithetic pairs, {Replicates} independent groups of {perGroup} samples (error: their spread)");
    }

    /// <summary>
    /// The Haar-random d x d orthogonal matrix (row-major) number <paramref name="replicate"/> of <paramref name="seed"/>:
    /// Gram-Schmidt on a Gaussian matrix.
    /// </summary>
    public static double[] RandomRotation(int d, ulong seed, int replicate)
    {
        var rng = new RandomStream(seed);
        ulong stream = StreamId.Of(replicate, 0, RotationStream);
        var q = new double[d * d];
        for (int i = 0; i < d * d; i++)
        {
            q[i] = rng.Normal(stream, (ulong)i);
        }

        for (int row = 0; row < d; row++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                for (int previous = 0; previous < row; previous++)
                {
                    double dot = 0.0;
                    for (int k = 0; k < d; k++)
                    {
                        dot += q[(row * d) + k] * q[(previous * d) + k];
                    }

                    for (int k = 0; k < d; k++)
                    {
                        q[(row * d) + k] -= dot * q[(previous * d) + k];
                    }
                }
            }

            double norm = 0.0;
            for (int k = 0; k < d; k++)
            {
                norm += q[(row * d) + k] * q[(row * d) + k];
            }

            norm = Math.Sqrt(norm);
            for (int k = 0; k < d; k++)
            {
                q[(row * d) + k] /= norm;
            }
        }

        return q;
    }

    private static SiteRule Replicated(double[] nodes, int perGroup, int dimension, string description)
    {
        var weights = new double[Replicates * perGroup];
        Array.Fill(weights, 1.0 / perGroup);
        int[] starts = Enumerable.Range(0, Replicates + 1).Select(g => g * perGroup).ToArray();
        return new SiteRule(dimension, nodes, weights, starts, weights.Length, description);
    }

    // The product grid of the one-dimensional rule (x, w) in d dimensions without its nodes weighing less than cutoff,
    // rotated, written in row-major order (the first coordinate's index fastest) into nodes and weights (sized for the
    // kept nodes). The multi-index advances like an odometer: no divisions (they had cost most of a 25088-node rule).
    private static void WriteGrid(double[] x, double[] w, int d, double[] rotation, double cutoff, Span<double> nodes, Span<double> weights)
    {
        int n = x.Length;
        Span<int> index = stackalloc int[d];
        Span<double> z = stackalloc double[d];
        index.Clear();
        long count = (long)Math.Pow(n, d);
        int kept = 0;
        for (long flat = 0; flat < count; flat++)
        {
            double weight = 1.0;
            for (int k = 0; k < d; k++)
            {
                z[k] = x[index[k]];
                weight *= w[index[k]];
            }

            for (int k = 0; k < d && ++index[k] == n; k++)
            {
                index[k] = 0;
            }

            if (weight < cutoff)
            {
                continue;
            }

            for (int row = 0; row < d; row++)
            {
                double value = 0.0;
                for (int k = 0; k < d; k++)
                {
                    value += rotation[(row * d) + k] * z[k];
                }

                nodes[(kept * d) + row] = value;
            }

            weights[kept++] = weight;
        }
    }

    private static int[] Primes(int count)
    {
        var primes = new List<int>(count);
        for (int candidate = 2; primes.Count < count; candidate++)
        {
            if (primes.TrueForAll(p => p * p > candidate || candidate % p != 0))
            {
                primes.Add(candidate);
            }
        }

        return [.. primes];
    }
}
