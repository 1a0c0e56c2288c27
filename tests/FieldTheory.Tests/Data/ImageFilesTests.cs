using System.IO.Compression;
using FieldTheory.Data;
using FieldTheory.Experiments;

namespace FieldTheory.Tests.Data;

/// <summary>Loaders read the real formats, written here in miniature: IDX (plain and gzip) and CIFAR-10 binary.</summary>
public sealed class ImageFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ftc-data-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadsIdxImagesPlainAndGzipped()
    {
        byte[] pixels = [.. Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 7))];
        string plain = WriteIdx("images-idx3-ubyte", [3, 2, 2], pixels, gzip: false);
        string gzipped = WriteIdx("images2-idx3-ubyte", [3, 2, 2], pixels, gzip: true);

        foreach (string path in new[] { plain, gzipped })
        {
            (int[] dims, byte[] data) = ImageFiles.ReadIdx(path);
            Assert.Equal([3, 2, 2], dims);
            Assert.Equal(pixels, data);
        }
    }

    [Fact]
    public void RejectsTruncatedAndForeignFiles()
    {
        string truncated = WriteIdx("bad-idx3-ubyte", [3, 2, 2], new byte[5], gzip: false);
        string foreign = Path.Combine(_directory, "foreign");
        File.WriteAllBytes(foreign, [0x42, 0x4D, 0, 0]);

        Assert.Contains("should hold 12 values", Assert.Throws<InvalidDataException>(() => ImageFiles.ReadIdx(truncated)).Message);
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => ImageFiles.ReadIdx(foreign)).Message);
    }

    [Fact]
    public void ReadsCifar10Records()
    {
        string path = Path.Combine(_directory, "data_batch_1.bin");
        File.WriteAllBytes(path, [.. CifarRecord(3, 10), .. CifarRecord(7, 20)]);

        ImageSet set = ImageFiles.ReadCifar10([path]);

        Assert.Equal([3, 7], set.Labels);
        Assert.Equal(3072, set.PixelsPerImage);
        Assert.Equal(20, set.Pixels[3072]);
    }

    [Fact]
    public void FashionMnistSubsetIsTwoClassStandardisedAndSeeded()
    {
        WriteFashionMnist();
        var spec = new ImageData(ImageDataKind.FashionMnist, _directory, Train: 6, Test: 2, Classes: [1, 2], Seed: 5);

        Dataset a = DataFactory.Build(spec);
        Dataset b = DataFactory.Build(spec);

        Assert.Equal(4, a.Dimension);
        Assert.Equal((6, 2), (a.Count, a.TestCount));
        Assert.All(a.Y, y => Assert.True(y is 1.0 or -1.0));
        Assert.Equal(a.X, b.X);
        for (int i = 0; i < a.Dimension; i++)
        {
            double[] column = [.. Enumerable.Range(0, a.Count).Select(n => a.X[(n * a.Dimension) + i])];
            Assert.Equal(0.0, column.Average(), 12);
        }
    }

    [Fact]
    public void MissingFashionMnistNamesThePackage()
    {
        var spec = new ImageData(ImageDataKind.FashionMnist, Path.Combine(_directory, "absent"), 4, 0, [0, 1], 1);

        var error = Assert.Throws<ExperimentException>(() => DataFactory.Build(spec));

        Assert.Equal("data.path", error.Field);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
    }

    private void WriteFashionMnist()
    {
        const int train = 12;
        const int test = 6;
        byte[] Labels(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)(i % 3))];
        byte[] Pixels(int n, int salt) => [.. Enumerable.Range(0, n * 4).Select(i => (byte)((i * 37) + salt))];
        WriteIdx("train-images-idx3-ubyte.gz", [train, 2, 2], Pixels(train, 1), gzip: true, exactName: true);
        WriteIdx("train-labels-idx1-ubyte.gz", [train], Labels(train), gzip: true, exactName: true);
        WriteIdx("t10k-images-idx3-ubyte.gz", [test, 2, 2], Pixels(test, 2), gzip: true, exactName: true);
        WriteIdx("t10k-labels-idx1-ubyte.gz", [test], Labels(test), gzip: true, exactName: true);
    }

    private string WriteIdx(string name, int[] dims, byte[] data, bool gzip, bool exactName = false)
    {
        using var raw = new MemoryStream();
        raw.Write([0, 0, 0x08, (byte)dims.Length]);
        foreach (int d in dims)
        {
            raw.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }

        raw.Write(data);
        string path = Path.Combine(_directory, exactName || !gzip ? name : name + ".gz");
        if (gzip)
        {
            using FileStream file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(raw.ToArray());
        }
        else
        {
            File.WriteAllBytes(path, raw.ToArray());
        }

        return path;
    }

    private static byte[] CifarRecord(byte label, byte fill) => [label, .. Enumerable.Repeat(fill, 3072)];
}
