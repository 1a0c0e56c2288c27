using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Randomness;

namespace FieldTheory.Convolutions;

/// <summary>
/// Loads image subsets of two or more classes (<see cref="ImageData"/>) for convolutional networks: images keep their
/// channel-major (c, y, x) layout, pixels are scaled to [0, 1] and then standardised per channel with the training
/// subset's mean and standard deviation over all its pixels (per-pixel standardisation, which the MLP data path uses,
/// divides near-constant border pixels by tiny deviations and destroys the spatial structure a convolution relies on).
/// Labels: the index of the image's class in the requested list (for one-hot targets); the dataset's scalar targets
/// are +1 for the first class and -1 for every other (the +-1 targets of two classes). The subsets are drawn with the
/// seed, as for the MLP path.
/// </summary>
public static class CnnData
{
    /// <summary>Purpose tag of the subset stream.</summary>
    internal const int SubsetPurpose = 19;

    /// <summary>The subset <paramref name="spec"/> describes; throws <see cref="ExperimentException"/> naming the field on bad input.</summary>
    public static CnnImages Load(ImageData spec)
    {
        bool fashion = spec.Kind == ImageDataKind.FashionMnist;
        var shape = fashion ? new MapShape(1, 28) : new MapShape(3, 32);
        (ImageSet train, ImageSet test) = ImageFiles.Load(spec);
        int[] trainIndices = Pick(train, spec, spec.Train, "data.train", 0);
        int[] testIndices = Pick(test, spec, spec.Test, "data.test", 1);
        double[] x = ImageFiles.Pixels(train, trainIndices);
        double[] testX = ImageFiles.Pixels(test, testIndices);
        for (int c = 0; c < shape.Channels; c++)
        {
            (double mean, double sd) = ChannelMoments(x, shape, c);
            Standardise(x, shape, c, mean, sd);
            Standardise(testX, shape, c, mean, sd);
        }

        string name = fashion ? "fashion-mnist" : "cifar10";
        string classes = spec.Classes.Length == 2
            ? $"classes {spec.Classes[0]} (+1) vs {spec.Classes[1]} (-1)"
            : $"classes {string.Join(", ", spec.Classes)}";
        int[] trainLabels = Labels(train, trainIndices, spec.Classes), testLabels = Labels(test, testIndices, spec.Classes);
        var data = new Dataset(
            shape.Values,
            x,
            [.. trainLabels.Select(l => l == 0 ? 1.0 : -1.0)],
            testX,
            [.. testLabels.Select(l => l == 0 ? 1.0 : -1.0)],
            $"{name} {shape} {classes}, P = {spec.Train}, test = {spec.Test}, seed {spec.Seed}, standardised per channel");
        return new CnnImages(data, shape) { TrainLabels = trainLabels, TestLabels = testLabels, ClassCount = spec.Classes.Length };
    }

    /// <summary>A two-class Fashion-MNIST subset (default classes 0, T-shirt/top, and 6, shirt: a hard pair) from the Debian package's folder.</summary>
    internal static ImageData FashionMnist(int train, int test, ulong seed, int firstClass = 0, int secondClass = 6, string path = "/usr/share/datasets/fashion-mnist") =>
        new(ImageDataKind.FashionMnist, path, train, test, [firstClass, secondClass], seed);

    /// <summary>The data of the <c>--quick</c> reproduction: Fashion-MNIST trouser (1, target -1) vs T-shirt/top (0, +1), 32 training and 64 test images.</summary>
    public static ImageData QuickFashionMnist { get; } = FashionMnist(train: 32, test: 64, seed: 1, firstClass: 0, secondClass: 1);

    private static int[] Pick(ImageSet set, ImageData spec, int count, string field, int salt)
    {
        int[] candidates = Enumerable.Range(0, set.Count).Where(i => spec.Classes.Contains(set.Labels[i])).ToArray();
        if (count < 1 || count > candidates.Length)
        {
            throw new ExperimentException(field, $"{count} images requested, but classes {string.Join(", ", spec.Classes)} have {candidates.Length} (at least 1 needed).");
        }

        var rng = new RandomStream(spec.Seed);
        ulong stream = StreamId.Of(salt, 0, SubsetPurpose);
        return candidates.OrderBy(i => rng.Uniform(stream, (ulong)i)).ThenBy(i => i).Take(count).ToArray();
    }

    private static (double Mean, double Sd) ChannelMoments(double[] x, MapShape shape, int channel)
    {
        double sum = 0, squares = 0;
        long count = 0;
        for (int image = 0; image < x.Length / shape.Values; image++)
        {
            int start = (image * shape.Values) + (channel * shape.Positions);
            for (int i = 0; i < shape.Positions; i++)
            {
                sum += x[start + i];
                count++;
            }
        }

        double mean = sum / count;
        for (int image = 0; image < x.Length / shape.Values; image++)
        {
            int start = (image * shape.Values) + (channel * shape.Positions);
            for (int i = 0; i < shape.Positions; i++)
            {
                squares += (x[start + i] - mean) * (x[start + i] - mean);
            }
        }

        double sd = Math.Sqrt(squares / count);
        return (mean, sd > 1e-12 ? sd : 1.0);
    }

    private static void Standardise(double[] x, MapShape shape, int channel, double mean, double sd)
    {
        for (int image = 0; image < x.Length / shape.Values; image++)
        {
            int start = (image * shape.Values) + (channel * shape.Positions);
            for (int i = 0; i < shape.Positions; i++)
            {
                x[start + i] = (x[start + i] - mean) / sd;
            }
        }
    }

    private static int[] Labels(ImageSet set, int[] indices, int[] classes) =>
        [.. indices.Select(i => Array.IndexOf(classes, (int)set.Labels[i]))];
}
