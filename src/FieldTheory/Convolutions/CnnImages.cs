using FieldTheory.Data;

namespace FieldTheory.Convolutions;

/// <summary>
/// Images with class labels for a convolutional network: a <see cref="Dataset"/> whose rows are images stored
/// channel-major (c, y, x), the layout of both the IDX (one channel) and CIFAR-10 (R, G, B planes) files. The
/// dataset's targets are the +-1 targets of two classes; <see cref="TrainLabels"/> and <see cref="TestLabels"/> give
/// each image's class as an index 0 .. <see cref="ClassCount"/> - 1 into the requested classes, for one-hot targets
/// (when absent, they follow from the +-1 targets: +1 is class 0, -1 class 1).
/// </summary>
/// <param name="Data">Training and test images with targets (test targets required).</param>
/// <param name="Shape">Channels and side of every image.</param>
public sealed record CnnImages(Dataset Data, MapShape Shape)
{
    /// <summary>Class index of every training image, or null for the two classes of the +-1 targets.</summary>
    public int[]? TrainLabels { get; init; }

    /// <summary>Class index of every test image, or null for the two classes of the +-1 targets.</summary>
    public int[]? TestLabels { get; init; }

    /// <summary>Number of classes C.</summary>
    public int ClassCount { get; init; } = 2;

    /// <summary>Checks that the data matches <paramref name="architecture"/>'s input and has test targets.</summary>
    internal CnnImages Validate(CnnArchitecture architecture)
    {
        if (Shape != architecture.Input || Data.Dimension != Shape.Values)
        {
            throw new ArgumentException($"{architecture.Name} takes {architecture.Input} images, but the data holds {Shape} images of {Data.Dimension} values.");
        }

        if (Data.TestY is null || Data.TestCount == 0)
        {
            throw new ArgumentException("The data needs test images with targets.");
        }

        return this;
    }

    /// <summary>
    /// The training and test targets for <paramref name="targets"/>, P x C and P_test x C row-major, with C: the data's
    /// +-1 targets (C = 1, two classes only) or one-hot rows of the class labels (C = <see cref="ClassCount"/>).
    /// </summary>
    internal (double[] Train, double[] Test, int Outputs) Targets(CnnTargets targets)
    {
        if (targets == CnnTargets.PlusMinusOne)
        {
            if (ClassCount != 2)
            {
                throw new ArgumentException($"targets: +-1 targets need exactly two classes, but the data has {ClassCount}; use one-hot targets for more.");
            }

            return (Data.Y, Data.TestY!, 1);
        }

        return (OneHot(TrainLabels ?? Signs(Data.Y)), OneHot(TestLabels ?? Signs(Data.TestY!)), ClassCount);

        static int[] Signs(double[] y) => [.. y.Select(v => v > 0 ? 0 : 1)];
    }

    private double[] OneHot(int[] labels)
    {
        var y = new double[labels.Length * ClassCount];
        for (int i = 0; i < labels.Length; i++)
        {
            y[(i * ClassCount) + labels[i]] = 1.0;
        }

        return y;
    }
}
