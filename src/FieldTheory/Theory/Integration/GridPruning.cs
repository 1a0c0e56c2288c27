namespace FieldTheory.Theory.Integration;

/// <summary>
/// Pruning of Gauss-Hermite product grids: the corners of an n^d grid carry weights far below double precision (for 56^2,
/// 57% of the nodes together weigh 9.4e-19 of the total), yet cost as much to integrate as the centre. Leaving out the
/// lightest nodes whose weights sum to at most a given mass changes the integral of any integrand bounded by B on them
/// by at most that mass times B, while the rule stays symmetric: mirror nodes have equal weights, so both stay or both
/// go (<see cref="MirrorFolding"/> still pairs them by layout). Pruned grids lose exactness only for integrands that are
/// huge on the dropped nodes: polynomials of very high degree, or training that makes the outermost sites diverge (a
/// cubic phi at large eta gamma0, where the outermost sites blow up within a few steps: the full grid's sums overflow
/// a few steps before the pruned grid's; such runs diverge either way, which the experiment runner reports).
/// </summary>
internal static class GridPruning
{
    /// <summary>The default mass left out: below the rounding of a sum of order 1 in double precision.</summary>
    public const double DefaultMass = 1e-18;

    /// <summary>The largest mass a user may ask to leave out.</summary>
    public const double MaxMass = 1e-6;

    /// <summary>
    /// The weight below which nodes of the <paramref name="order"/>^d Gauss-Hermite product grid are left out: the largest
    /// cutoff whose dropped nodes weigh at most <paramref name="mass"/> together; with how many nodes and how much weight
    /// that drops. A mass of 0 keeps every node. Computed once per grid and mass.
    /// </summary>
    public static (double Cutoff, int Dropped, double DroppedMass) Cutoff(int order, int d, double mass) =>
        mass <= 0.0 ? (0.0, 0, 0.0) : Cutoffs.GetOrAdd((order, d, mass), key => Compute(GaussHermite.Rule(key.Order).Weights, key.D, key.Mass));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Order, int D, double Mass), (double, int, double)> Cutoffs = new();

    private static (double Cutoff, int Dropped, double DroppedMass) Compute(double[] w, int d, double mass)
    {
        int n = w.Length;
        int count = (int)Math.Pow(n, d);
        var product = new double[count];
        for (int flat = 0; flat < count; flat++)
        {
            double weight = 1.0;
            for (int k = 0, rest = flat; k < d; k++, rest /= n)
            {
                weight *= w[rest % n];
            }

            product[flat] = weight;
        }

        Array.Sort(product);
        double sum = 0.0;
        int next = 0;
        while (next < count && sum + product[next] <= mass)
        {
            sum += product[next++];
        }

        // Nodes weighing product[next] stay, and so do the counted ones of the same weight before it: mirror nodes,
        // which weigh the same, are never split.
        double cutoff = next < count ? product[next] : double.PositiveInfinity;
        int dropped = 0;
        double droppedMass = 0.0;
        for (; dropped < next && product[dropped] < cutoff; dropped++)
        {
            droppedMass += product[dropped];
        }

        return (cutoff, dropped, droppedMass);
    }
}
