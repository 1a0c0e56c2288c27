namespace FieldTheory.Convolutions;

/// <summary>
/// The unfolding that turns a convolution into one matrix product. Feature maps are stored channel-major with the batch
/// inside, <c>map[((c B + b) S + y) S + x]</c>, so that a product's output (C_out rows, B S_out^2 columns) is again such
/// a map. Row r = (c k + ky) k + kx of the unfolded matrix holds input channel c at kernel offset (ky, kx); column
/// (b S_out + oy) S_out + ox is output position (oy, ox) of image b; padding reads as zero.
/// </summary>
internal static class Im2Col
{
    /// <summary>Unfolds <paramref name="map"/> (C x B x S x S) into <paramref name="columns"/> (C k^2 x B S_out^2).</summary>
    public static void Unfold(double[] map, int channels, int batch, int size, ConvolutionLayer conv, int outSize, double[] columns)
    {
        int k = conv.Kernel;
        int outPositions = outSize * outSize;
        int width = batch * outPositions;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int row = (((c * k) + ky) * k) + kx;
                    int rowStart = row * width;
                    for (int b = 0; b < batch; b++)
                    {
                        int image = ((c * batch) + b) * size * size;
                        int column = rowStart + (b * outPositions);
                        for (int oy = 0; oy < outSize; oy++)
                        {
                            int y = (oy * conv.Stride) - conv.Padding + ky;
                            bool rowInside = y >= 0 && y < size;
                            for (int ox = 0; ox < outSize; ox++)
                            {
                                int x = (ox * conv.Stride) - conv.Padding + kx;
                                columns[column++] = rowInside && x >= 0 && x < size ? map[image + (y * size) + x] : 0.0;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Unfold"/>: overwrites <paramref name="map"/> with the folded sums of <paramref name="columns"/>.</summary>
    public static void Fold(double[] columns, int channels, int batch, int size, ConvolutionLayer conv, int outSize, double[] map)
    {
        int k = conv.Kernel;
        int outPositions = outSize * outSize;
        int width = batch * outPositions;
        Array.Clear(map, 0, channels * batch * size * size);
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int rowStart = ((((c * k) + ky) * k) + kx) * width;
                    for (int b = 0; b < batch; b++)
                    {
                        int image = ((c * batch) + b) * size * size;
                        int column = rowStart + (b * outPositions);
                        for (int oy = 0; oy < outSize; oy++)
                        {
                            int y = (oy * conv.Stride) - conv.Padding + ky;
                            if (y < 0 || y >= size)
                            {
                                column += outSize;
                                continue;
                            }

                            for (int ox = 0; ox < outSize; ox++, column++)
                            {
                                int x = (ox * conv.Stride) - conv.Padding + kx;
                                if (x >= 0 && x < size)
                                {
                                    map[image + (y * size) + x] += columns[column];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
