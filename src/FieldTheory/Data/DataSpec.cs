using System.Text.Json.Serialization;

namespace FieldTheory.Data;

/// <summary>The <c>"data"</c> section of an experiment, as declared; <see cref="DataFactory"/> builds the data.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ScalarData), "scalar")]
[JsonDerivedType(typeof(InlineData), "inline")]
[JsonDerivedType(typeof(GaussianData), "gaussian")]
[JsonDerivedType(typeof(ImageData), "images")]
public abstract record DataSpec;

/// <summary>One training point in one dimension (D = P = 1): K^x = x^2.</summary>
public sealed record ScalarData(double X, double Y) : DataSpec;

/// <summary>Points given in the file: <c>x</c> is P rows of D numbers.</summary>
public sealed record InlineData(int Dimension, double[] X, double[] Y, double[]? TestX, double[]? TestY) : DataSpec;

/// <summary>The target function of synthetic gaussian data.</summary>
public enum TeacherKind
{
    /// <summary>y = beta . x / sqrt(D).</summary>
    Linear,

    /// <summary>y = tanh(beta . x / sqrt(D)): one random tanh unit.</summary>
    Tanh,
}

/// <summary>Inputs x ~ N(0, I_D) with a random teacher (beta ~ N(0, I_D) from the seed) and optional label noise.</summary>
public sealed record GaussianData(int Dimension, int Train, int Test, TeacherKind Teacher, double Noise, ulong Seed) : DataSpec;

/// <summary>Image data sets with the files they come in.</summary>
public enum ImageDataKind
{
    /// <summary>Fashion-MNIST, IDX files (gzip or plain); Debian package dataset-fashion-mnist.</summary>
    FashionMnist,

    /// <summary>CIFAR-10, binary version (data_batch_1..5.bin, test_batch.bin).</summary>
    Cifar10,
}

/// <summary>
/// A two-class subset of an image data set with targets +1 (first class) and -1 (second class), flattened and
/// standardised with the training set's per-pixel mean and standard deviation; subsets drawn with the seed.
/// </summary>
public sealed record ImageData(ImageDataKind Kind, string Path, int Train, int Test, int[] Classes, ulong Seed) : DataSpec;
