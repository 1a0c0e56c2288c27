using FieldTheory.Experiments;
using System.IO.Compression;

namespace FieldTheory.Data;

/// <summary>Raw images and labels as stored on disk: n images of <see cref="PixelsPerImage"/> bytes.</summary>
internal sealed record ImageSet(byte[] Pixels, byte[] Labels, int PixelsPerImage)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
}

/// <summary>Readers for the IDX format (MNIST, Fashion-MNIST; gzip or plain) and the CIFAR-10 binary format.</summary>
internal static class ImageFiles
{
    /// <summary>Reads an IDX file of unsigned bytes; returns its dimensions and data.</summary>
    public static (int[] Dimensions, byte[] Data) ReadIdx(string path)
    {
        byte[] bytes = ReadMaybeGzip(path);
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new InvalidDataException($"'{path}' is not an IDX file (bad magic number).");
        }

        if (bytes[2] != 0x08)
        {
            throw new InvalidDataException($"'{path}' holds IDX type 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported.");
        }

        int rank = bytes[3];
        int offset = 4 + (4 * rank);
        if (rank == 0 || bytes.Length < offset)
        {
            throw new InvalidDataException($"'{path}' is truncated in its IDX header.");
        }

        var dimensions = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int at = 4 + (4 * i);
            dimensions[i] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            count *= dimensions[i];
        }

        if (bytes.Length - offset != count)
        {
            throw new InvalidDataException($"'{path}' should hold {count} values after its header but holds {bytes.Length - offset}.");
        }

        return (dimensions, bytes[offset..]);
    }

    /// <summary>Reads an IDX image file and its label file as one set.</summary>
    public static ImageSet ReadIdxPair(string imagesPath, string labelsPath)
    {
        (int[] imageDims, byte[] pixels) = ReadIdx(imagesPath);
        (int[] labelDims, byte[] labels) = ReadIdx(labelsPath);
        if (imageDims.Length < 2 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
        {
            throw new InvalidDataException($"'{imagesPath}' and '{labelsPath}' do not describe the same images.");
        }

        return new ImageSet(pixels, labels, pixels.Length / imageDims[0]);
    }

    /// <summary>CIFAR-10 binary records: 1 label byte then 3072 pixel bytes (R, G, B planes of 32 x 32).</summary>
    public static ImageSet ReadCifar10(IEnumerable<string> batchFiles)
    {
        const int pixels = 3072;
        const int record = pixels + 1;
        var allPixels = new List<byte>();
        var allLabels = new List<byte>();
        foreach (string path in batchFiles)
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0 || bytes.Length % record != 0)
            {
                throw new InvalidDataException($"'{path}' is not a CIFAR-10 binary batch: {bytes.Length} bytes is not a multiple of {record}.");
            }

            for (int at = 0; at < bytes.Length; at += record)
            {
                if (bytes[at] > 9)
                {
                    throw new InvalidDataException($"'{path}' has label {bytes[at]} at byte {at}; CIFAR-10 labels are 0..9.");
                }

                allLabels.Add(bytes[at]);
                allPixels.AddRange(new ArraySegment<byte>(bytes, at + 1, pixels));
            }
        }

        return new ImageSet([.. allPixels], [.. allLabels], pixels);
    }

    private static byte[] ReadMaybeGzip(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }

        return bytes;
    }

    /// <summary>
    /// The training and test images of an image data section: Fashion-MNIST IDX files (gzip or plain) or CIFAR-10
    /// binaries under <see cref="ImageData.Path"/>; a missing file is an <see cref="ExperimentException"/> naming
    /// data.path.
    /// </summary>
    public static (ImageSet Train, ImageSet Test) Load(ImageData spec) =>
        spec.Kind == ImageDataKind.FashionMnist ? FashionMnist(spec.Path) : Cifar10(spec.Path);

    /// <summary>The pixels of the chosen images scaled to [0, 1], image after image.</summary>
    public static double[] Pixels(ImageSet set, int[] indices)
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

    private static (ImageSet Train, ImageSet Test) FashionMnist(string path)
    {
        string[] files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        string[] found = files.Select(f => Find(path, f)).ToArray();
        return (ReadIdxPair(found[0], found[1]), ReadIdxPair(found[2], found[3]));

        static string Find(string folder, string name)
        {
            foreach (string candidate in new[] { name + ".gz", name })
            {
                string full = Path.Combine(folder, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }

            throw new ExperimentException(
                "data.path",
                $"Fashion-MNIST file '{name}.gz' not found in '{folder}'. Install the data set with 'apt-get install dataset-fashion-mnist' (it goes to {ImageSubset.DefaultFashionMnistPath}) or set data.path to a folder with the IDX files.");
        }
    }

    private static (ImageSet Train, ImageSet Test) Cifar10(string path)
    {
        string folder = Directory.Exists(Path.Combine(path, "cifar-10-batches-bin")) ? Path.Combine(path, "cifar-10-batches-bin") : path;
        string[] trainFiles = Enumerable.Range(1, 5).Select(i => Path.Combine(folder, $"data_batch_{i}.bin")).Where(File.Exists).ToArray();
        string testFile = Path.Combine(folder, "test_batch.bin");
        if (trainFiles.Length == 0 || !File.Exists(testFile))
        {
            throw new ExperimentException(
                "data.path",
                $"CIFAR-10 binary files (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) not found in '{path}'. Download the binary version of CIFAR-10 and point data.path at its folder.");
        }

        return (ReadCifar10(trainFiles), ReadCifar10([testFile]));
    }
}
