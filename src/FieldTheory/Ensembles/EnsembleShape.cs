namespace FieldTheory.Ensembles;

/// <summary>
/// Sizes of one ensemble: E members of width N with L hidden layers on D-dimensional inputs; each forward pass runs
/// over <paramref name="AllRows"/> inputs (P training rows first, then the test rows), the backward pass over the
/// P training rows only.
/// </summary>
internal sealed record EnsembleShape(int Members, int Width, int Dimension, int Layers, int TrainRows, int AllRows)
{
    public int TestRows => AllRows - TrainRows;

    /// <summary>Input width of weight matrix W^l: D for l = 0, N above.</summary>
    public int FanIn(int layer) => layer == 0 ? Dimension : Width;

    /// <summary>
    /// Doubles the engine holds on the accelerator: Pa D shared inputs plus, per member,
    /// N D + (L - 1) N^2 + N weights, 3 L Pa N forward fields (h, phi, phi'), (L + 2) P N backward fields and scratch,
    /// Pa + P outputs and errors and 2 L P^2 kernels.
    /// </summary>
    public long DeviceDoubles =>
        ((long)AllRows * Dimension)
        + ((long)Members * (((long)Width * Dimension) + ((long)(Layers - 1) * Width * Width) + Width
            + (3L * Layers * AllRows * Width) + ((long)(Layers + 2) * TrainRows * Width)
            + AllRows + TrainRows + (2L * Layers * TrainRows * TrainRows)));
}
