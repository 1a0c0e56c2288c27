namespace FieldTheory.Theory.Deep;

/// <summary>
/// M independent sample paths of the single-site process of every layer (DESIGN.md 3.2), stored over the time-major
/// index: phi(h^l) and g^l for the memory terms, the standard normals behind the Gaussian sources, and the current
/// step's h, z, phi', phi''. With tangents, also the pathwise forward-mode tangents d phi(h^l) and d g^l with respect to
/// every training-point source r^l_b(k) (layers l &lt; L) and u^l_b(k) (layers l &gt;= 2), direction d = k P + b.
/// </summary>
internal sealed class SiteSamples
{
    /// <summary>Random-stream purpose of the u^l sources: StreamId.Of(sample, layer, PurposeU).</summary>
    public const int PurposeU = 1;

    /// <summary>Random-stream purpose of the r^l sources.</summary>
    public const int PurposeR = 2;

    public SiteSamples(DeepProblem problem, int count, bool withTangents, ulong seed)
    {
        int layers = problem.HiddenLayers;
        int size = problem.Size;
        int points = problem.Points;
        Count = count;
        Seed = seed;
        WithTangents = withTangents;
        Directions = problem.TrainCount * (problem.Steps + 1);
        Phi = new double[layers + 1][];
        Gradient = new double[layers + 1][];
        NoiseU = new double[layers + 1][];
        NoiseR = new double[layers + 1][];
        H = new double[layers + 1][];
        Z = new double[layers + 1][];
        D1 = new double[layers + 1][];
        D2 = new double[layers + 1][];
        TangentR = new Tangents?[layers + 1];
        TangentU = new Tangents?[layers + 1];
        for (int l = 1; l <= layers; l++)
        {
            Phi[l] = new double[(long)count * size];
            Gradient[l] = new double[(long)count * size];
            NoiseU[l] = new double[(long)count * size];
            NoiseR[l] = new double[(long)count * size];
            H[l] = new double[count * points];
            Z[l] = new double[count * points];
            D1[l] = new double[count * points];
            D2[l] = new double[count * points];
            if (withTangents && l < layers)
            {
                TangentR[l] = new Tangents(count, problem.TrainCount, problem.Steps, points);
            }

            if (withTangents && l >= 2)
            {
                TangentU[l] = new Tangents(count, problem.TrainCount, problem.Steps, points);
            }
        }
    }

    public int Count { get; }

    public ulong Seed { get; }

    public bool WithTangents { get; }

    /// <summary>Tangent directions per source family: P (T + 1).</summary>
    public int Directions { get; }

    public double[][] Phi { get; }

    public double[][] Gradient { get; }

    public double[][] NoiseU { get; }

    public double[][] NoiseR { get; }

    public double[][] H { get; }

    public double[][] Z { get; }

    public double[][] D1 { get; }

    public double[][] D2 { get; }

    public Tangents?[] TangentR { get; }

    public Tangents?[] TangentU { get; }

    /// <summary>
    /// Bytes per sample: 8 L (4 Size + 4 Points), plus 8 P (T+1) Points (T+3) per tangent family with tangents (the causal
    /// halves of d phi and d g, P Points (T+1)(T+2)/2 each, and d h, P (T+1) Points).
    /// </summary>
    public static long BytesPerSample(DeepProblem problem, bool withTangents)
    {
        long size = problem.Size;
        long perLayer = 4 * size + 4L * problem.Points;
        long bytes = 8 * problem.HiddenLayers * perLayer;
        if (withTangents)
        {
            long families = 2L * (problem.HiddenLayers - 1);
            bytes += 8 * families * (long)problem.TrainCount * (problem.Steps + 1) * problem.Points * (problem.Steps + 3);
        }

        return bytes;
    }

    /// <summary>
    /// Tangents of one source family: per sample, d phi and d g over (direction, index), and the current d h. By causality
    /// the tangent with respect to a source at step k vanishes before step k, so direction d = k P + b stores only the
    /// indices i &gt;= k Points, at <c>Offset(d) + i</c>: about half of the full (direction, index) square.
    /// </summary>
    internal sealed class Tangents
    {
        private readonly long[] _offsets;

        public Tangents(int count, int train, int steps, int points)
        {
            (_offsets, int[] first, long packed) = Layout(train, steps, points);
            First = first;
            int directions = first.Length;

            DPhi = new double[count][];
            DGradient = new double[count][];
            DH = new double[count][];
            for (int s = 0; s < count; s++)
            {
                DPhi[s] = new double[packed];
                DGradient[s] = new double[packed];
                DH[s] = new double[directions * points];
            }
        }

        /// <summary>The first stored index of each direction, k Points for d = k P + b.</summary>
        public int[] First { get; }

        public double[][] DPhi { get; }

        public double[][] DGradient { get; }

        public double[][] DH { get; }

        /// <summary>Where index i (&gt;= <see cref="First"/>[d]) of direction d is stored: <c>Offset(d) + i</c>.</summary>
        public int Offset(int d) => (int)_offsets[d];

        /// <summary>
        /// The packed layout of one sample's tangents: per direction d = k P + b, the offset with index i of d stored at
        /// <c>Offsets[d] + i</c> and the first stored index k Points; <c>Packed</c> entries in all.
        /// </summary>
        public static (long[] Offsets, int[] First, long Packed) Layout(int train, int steps, int points)
        {
            int directions = train * (steps + 1);
            int size = points * (steps + 1);
            var offsets = new long[directions];
            var first = new int[directions];
            long packed = 0;
            for (int d = 0; d < directions; d++)
            {
                first[d] = d / train * points;
                offsets[d] = packed - first[d];
                packed += size - first[d];
            }

            return (offsets, first, packed);
        }
    }
}
