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
        (ImageSet train, ImageSet test) = spec.Kind == ImageDataKind.FashionMnist ? FashionMnist(spec.Path) : Cifar10(spec.Path);
        int[] trainIndices = Pick(train, spec, spec.Train, "data.train", TrainSalt);
        int[] testIndices = Pick(test, spec, spec.Test, "data.test", TestSalt);
        int d = train.PixelsPerImage;

        double[] x = Flatten(train, trainIndices);
        double[] testX = Flatten(test, testIndices);
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

    private static (ImageSet Train, ImageSet Test) FashionMnist(string path)
    {
        string[] files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        string[] found = files.Select(f => Find(path, f)).ToArray();
        return (ImageFiles.ReadIdxPair(found[0], found[1]), ImageFiles.ReadIdxPair(found[2], found[3]));

        static string Find(string folder, string name)
        {
            foreach (string candidate in new[] { name + ".gz", name })
            {
                string full = System.IO.Path.Combine(folder, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }

            throw new ExperimentException(
                "data.path",
                $"Fashion-MNIST file '{name}.gz' not found in '{folder}'. Install the data set with 'apt-get install dataset-fashion-mnist' (it goes to {DefaultFashionMnistPath}) or set data.path to a folder with the IDX files.");
        }
    }

    private static (ImageSet Train, ImageSet Test) Cifar10(string path)
    {
        string folder = Directory.Exists(System.IO.Path.Combine(path, "cifar-10-batches-bin")) ? System.IO.Path.Combine(path, "cifar-10-batches-bin") : path;
        string[] trainFiles = Enumerable.Range(1, 5).Select(i => System.IO.Path.Combine(folder, $"data_batch_{i}.bin")).Where(File.Exists).ToArray();
        string testFile = System.IO.Path.Combine(folder, "test_batch.bin");
        if (trainFiles.Length == 0 || !File.Exists(testFile))
        {
            throw new ExperimentException(
                "data.path",
                $"CIFAR-10 binary files (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) not found in '{path}'. Download the binary version of CIFAR-10 and point data.path at its folder.");
        }

        return (ImageFiles.ReadCifar10(trainFiles), ImageFiles.ReadCifar10([testFile]));
    }

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

    private static double[] Flatten(ImageSet set, int[] indices)
    {
        int d = set.PixelsPerImage;
        var x = new double[indices.Length * d];
        for (int n = 0; n < indices.Length; n++)
        {
            for (int i = 0; i < d; i++)
            {
                x[(n * d) + i] = set.Pixels[(indices[n] * d) + i] / 255.0;
            }
        }

        return x;
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
