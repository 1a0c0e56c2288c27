using FieldTheory.Data;
using FieldTheory.Randomness;

namespace FieldTheory.Convolutions.Tests;

/// <summary>Small synthetic image sets and architectures for exact comparisons.</summary>
internal static class TestImages
{
    /// <summary>Gaussian pixels, targets +-1 by the sign of a fixed pixel pattern.</summary>
    public static CnnImages Random(MapShape shape, int train, int test, ulong seed)
    {
        var rng = new RandomStream(seed);
        double[] Pixels(int count, int purpose) =>
            Enumerable.Range(0, count * shape.Values).Select(i => rng.Normal((ulong)purpose, (ulong)i)).ToArray();
        double[] Targets(int count, int purpose) =>
            Enumerable.Range(0, count).Select(i => rng.Uniform((ulong)purpose, (ulong)i) < 0.5 ? -1.0 : 1.0).ToArray();
        var data = new Dataset(shape.Values, Pixels(train, 1), Targets(train, 2), Pixels(test, 3), Targets(test, 4), "random test images");
        return new CnnImages(data, shape);
    }

    /// <summary>Gaussian pixels with class labels 0 .. classes - 1 drawn uniformly, for one-hot targets.</summary>
    public static CnnImages RandomClasses(MapShape shape, int train, int test, int classes, ulong seed)
    {
        var rng = new RandomStream(seed);
        int[] Labels(int count, int purpose) =>
            Enumerable.Range(0, count).Select(i => (int)(rng.Uniform((ulong)purpose, (ulong)i) * classes)).ToArray();
        CnnImages images = Random(shape, train, test, seed);
        return images with { TrainLabels = Labels(train, 5), TestLabels = Labels(test, 6), ClassCount = classes };
    }

    /// <summary>Two convolutions (stride 2 and padding in the first), channels 3 then 3, on 2 x 7 x 7 images.</summary>
    public static CnnArchitecture Small { get; } = new CnnArchitecture(
        "Small",
        new MapShape(2, 7),
        [new ConvolutionLayer(3, 3, 2, 1), new ConvolutionLayer(3, 2, 1, 0), new GlobalAveragePoolLayer()]);
}
