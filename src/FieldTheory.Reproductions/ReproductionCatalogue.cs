namespace FieldTheory.Reproductions;

/// <summary>Every reproduction <c>ftc reproduce</c> knows, in the order the README presents them.</summary>
public static class ReproductionCatalogue
{
    /// <summary>All reproductions.</summary>
    public static IReadOnlyList<Reproduction> All { get; } =
    [
        new LazyUniversal(),
        new TwoLayerVariance(),
        new DeepVariance(),
        new OnlineLearning(),
        new EdgeOfStability(),
        new CnnBiasVarianceReproduction(),
    ];

    /// <summary>The reproduction called <paramref name="name"/>, or null.</summary>
    public static Reproduction? Find(string name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
}
