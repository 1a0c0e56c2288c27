using FieldTheory.Experiments;
using FieldTheory.Randomness;

namespace FieldTheory.Data;

/// <summary>
/// Builds a two-class data set from image files: picks the classes, draws the requested number of training and test
/// images with the seed, flattens them and standardises every pixel with the training subset's mean and standard
/// deviation. Targets: +1 for the first class, -1 for the second.
/// </summary>
internal static class ImageSubset
{
    public const string DefaultFashionMnistPath = "/usr/share/datasets/fashion-mnist";

    public static Dataset Load(ImageData spec)
    {
        (ImageSet train, ImageSet test) = ImageFiles.Load(spec);
        int[] trainIndices = Pick(train, spec, spec.Train, "data.train", TrainSalt);
        int[] testIndices = Pick(test, spec, spec.Test, "data.test", TestSalt);
        int d = train.PixelsPerImage;

        double[] x = ImageFiles.Pixels(train, trainIndices);
        double[] testX = ImageFiles.Pixels(test, testIndices);
        Standardise(x, testX, d, trainIndices.Length);
        string name = spec.Kind == ImageDataKind.FashionMnist ? "fashion-mnist" : "cifar10";
        return new Dataset(
            d,
            x,
            Targets(train, trainIndices, spec.Classes),
            testX,
            Targets(test, testIndices, spec.Classes),
            $"{name} classes {spec.Classes[0]} (+1) vs {spec.Classes[1]} (-1), P = {spec.Train}, test = {spec.Test}, seed {spec.Seed}");
    }

    private const int TrainSalt = 0;
    private const int TestSalt = 1;

    /// <summary>A seeded random subset of the images of the two classes, in a deterministic order.</summary>
    private static int[] Pick(ImageSet set, ImageData spec, int count, string field, int salt)
    {
        int[] candidates = Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == spec.Classes[0] || set.Labels[i] == spec.Classes[1]).ToArray();
        if (count > candidates.Length)
        {
            throw new ExperimentException(field, $"{count} images requested, but classes {spec.Classes[0]} and {spec.Classes[1]} have only {candidates.Length}.");
        }

        var rng = new RandomStream(spec.Seed);
        ulong stream = StreamId.Of(salt, 0, DataFactory.SubsetStream);
        return candidates.OrderBy(i => rng.Uniform(stream, (ulong)i)).ThenBy(i => i).Take(count).ToArray();
    }

    private static void Standardise(double[] x, double[] testX, int d, int count)
    {
        for (int i = 0; i < d; i++)
        {
            double mean = 0.0;
            for (int n = 0; n < count; n++)
            {
                mean += x[(n * d) + i];
            }

            mean /= count;
            double variance = 0.0;
            for (int n = 0; n < count; n++)
            {
                double u = x[(n * d) + i] - mean;
                variance += u * u;
            }

            double sd = Math.Sqrt(variance / count);
            double scale = sd > 1e-8 ? 1.0 / sd : 1.0;
            for (int n = 0; n < count; n++)
            {
                x[(n * d) + i] = (x[(n * d) + i] - mean) * scale;
            }

            for (int n = 0; n < testX.Length / d; n++)
            {
                testX[(n * d) + i] = (testX[(n * d) + i] - mean) * scale;
            }
        }
    }

    private static double[] Targets(ImageSet set, int[] indices, int[] classes) =>
        indices.Select(i => set.Labels[i] == classes[0] ? 1.0 : -1.0).ToArray();
}
