namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>Which layer kernel an entry belongs to.</summary>
internal enum KernelKind
{
    /// <summary>The feature kernel H^l = Phi^l = h^l . h^l / N.</summary>
    Feature,

    /// <summary>The gradient kernel G^l = g^l . g^l / N.</summary>
    Gradient,
}

/// <summary>One entry K^l_{mu nu}(n, m) of a hidden layer's feature or gradient kernel (l = 1..L).</summary>
/// <param name="Kind">Feature or gradient kernel.</param>
/// <param name="Layer">Hidden layer l, 1..L.</param>
/// <param name="N">First step.</param>
/// <param name="M">Second step.</param>
/// <param name="Mu">First training point.</param>
/// <param name="Nu">Second training point.</param>
internal readonly record struct KernelEntry(KernelKind Kind, int Layer, int N, int M, int Mu = 0, int Nu = 0)
{
    /// <summary>The equal-time feature kernel H^l_{mu mu}(n, n).</summary>
    public static KernelEntry Feature(int layer, int n, int mu = 0) => new(KernelKind.Feature, layer, n, n, mu, mu);

    /// <summary>The equal-time gradient kernel G^l_{mu mu}(n, n).</summary>
    public static KernelEntry Gradient(int layer, int n, int mu = 0) => new(KernelKind.Gradient, layer, n, n, mu, mu);
}
