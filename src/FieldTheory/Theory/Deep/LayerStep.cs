namespace FieldTheory.Theory.Deep;

/// <summary>
/// What the per-sample updates of one layer at one step take from the host (DESIGN.md 3.2): layer l, step n, the
/// step's block [Start, End) of the time-major index, the memory-kernel rows of the block (A + Delta Phi columns
/// before the block for the forward field h, B + Delta G columns up to the block's end for the backward field z,
/// row-major [P_points][Start or End]), the bordered Cholesky factor of the layer's Gaussian source (null where the
/// source is constant in time: u^1 and r^L), and the factor of K^x that samples u^1 at step 0.
/// </summary>
internal readonly record struct LayerStep(int Layer, int Step, int Start, int End, double[] Memory, BorderedCholesky? Source, BorderedCholesky Input);
