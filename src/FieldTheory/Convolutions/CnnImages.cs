using FieldTheory.Data;

namespace FieldTheory.Convolutions;

/// <summary>
/// Images with scalar targets for a convolutional network: a <see cref="Dataset"/> whose rows are images stored
/// channel-major (c, y, x), the layout of both the IDX (one channel) and CIFAR-10 (R, G, B planes) files.
/// </summary>
/// <param name="Data">Training and test images with targets (test targets required).</param>
/// <param name="Shape">Channels and side of every image.</param>
public sealed record CnnImages(Dataset Data, MapShape Shape)
{
    /// <summary>Checks that the data matches <paramref name="architecture"/>'s input and has test targets.</summary>
    public CnnImages Validate(CnnArchitecture architecture)
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
}
