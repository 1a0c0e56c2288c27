namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// Positions of the order parameters of DESIGN.md 4.5 in the vector q: per hidden layer l the feature kernel
/// H^l(a &lt;= b), the gradient kernel G^l(a &lt;= b), the response Q^l(n, m) for l &lt; L and P^l(n, m) for l &gt; 1 over
/// all index pairs, then f over the indices. Indices a, b run over i = n * Points + mu (size S). The first
/// <see cref="TrainCount"/> points of each step are training points; any further ones are test points, which only the
/// deep nonlinear propagator places here (docs/deep-nonlinear-fluctuations.md, "Test points").
/// </summary>
internal sealed class OrderParameterLayout
{
    private readonly int[] _featureOffset;
    private readonly int[] _gradientOffset;
    private readonly int[] _qOffset;
    private readonly int[] _pOffset;

    public OrderParameterLayout(int layers, int points, int steps, int? trainCount = null)
    {
        Layers = layers;
        Points = points;
        TrainCount = trainCount ?? points;
        Size = points * (steps + 1);
        PairCount = Size * (Size + 1) / 2;
        _featureOffset = new int[layers + 1];
        _gradientOffset = new int[layers + 1];
        _qOffset = new int[layers + 1];
        _pOffset = new int[layers + 1];
        int offset = 0;
        for (int l = 1; l <= layers; l++)
        {
            _featureOffset[l] = offset;
            offset += PairCount;
            _gradientOffset[l] = offset;
            offset += PairCount;
            _qOffset[l] = l < layers ? offset : -1;
            offset += l < layers ? Size * Size : 0;
            _pOffset[l] = l > 1 ? offset : -1;
            offset += l > 1 ? Size * Size : 0;
        }

        PredictionOffset = offset;
        Dimension = offset + Size;
    }

    /// <summary>Total dimension: 2 L S (S + 1) / 2 + 2 (L - 1) S^2 + S.</summary>
    public static long DimensionOf(int layers, int points, int steps)
    {
        long size = (long)points * (steps + 1);
        return layers * size * (size + 1) + 2L * (layers - 1) * size * size + size;
    }

    public int Layers { get; }

    /// <summary>Points per step, training then test.</summary>
    public int Points { get; }

    /// <summary>The training points among <see cref="Points"/> (all of them unless test points were placed).</summary>
    public int TrainCount { get; }

    /// <summary>Whether position i is a training position (its point receives a Delta).</summary>
    public bool IsTraining(int i) => i % Points < TrainCount;

    /// <summary>S = Points (T + 1).</summary>
    public int Size { get; }

    public int PairCount { get; }

    public int Dimension { get; }

    public int PredictionOffset { get; }

    /// <summary>Position of the unordered pair (a, b) inside a symmetric block.</summary>
    public int Pair(int a, int b)
    {
        if (a > b)
        {
            (a, b) = (b, a);
        }

        return a * Size - a * (a - 1) / 2 + (b - a);
    }

    public int Feature(int layer, int a, int b) => _featureOffset[layer] + Pair(a, b);

    public int Gradient(int layer, int a, int b) => _gradientOffset[layer] + Pair(a, b);

    /// <summary>Q^l(n, m) = h^l(n) . rho^l(m) / N; only for l &lt; L.</summary>
    public int ResponseQ(int layer, int n, int m) => _qOffset[layer] + n * Size + m;

    /// <summary>P^l(n, m) = sigma^l(n) . g^l(m) / N; only for l &gt; 1.</summary>
    public int ResponseP(int layer, int n, int m) => _pOffset[layer] + n * Size + m;

    public int Prediction(int i) => PredictionOffset + i;

    public bool HasQ(int layer) => layer < Layers;

    public bool HasP(int layer) => layer > 1;
}
