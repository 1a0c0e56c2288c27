using FieldTheory.Convolutions;

namespace FieldTheory.Models;

/// <summary>The convolutional networks that ship with FieldTheoryCompiler ([ConvolutionalNetwork] declarations).</summary>
public static class BuiltInConvolutionalModels
{
    /// <summary>Every built-in convolutional network.</summary>
    public static IReadOnlyList<ConvolutionalModel> All { get; } = [FashionCnn.Convolutional, CifarCnn.Convolutional];

    /// <summary>Finds a network by name (ignoring case), or throws <see cref="KeyNotFoundException"/> listing the known names.</summary>
    public static ConvolutionalModel Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"Unknown convolutional network '{name}'. Known: {string.Join(", ", All.Select(m => m.Name))}.");
}
