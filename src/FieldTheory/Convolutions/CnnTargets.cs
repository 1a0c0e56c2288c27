namespace FieldTheory.Convolutions;

/// <summary>What a CNN is trained to output (docs/cnn.md).</summary>
public enum CnnTargets
{
    /// <summary>One output, +1 for the first of two classes and -1 for the second (the default).</summary>
    PlusMinusOne,

    /// <summary>C outputs for C classes, y_c = 1 for the image's class and 0 for the others; predictions by argmax.</summary>
    OneHot,
}
