namespace FieldTheory.Theory.Online;

/// <summary>What one infinite-width online trajectory recorded at n = 0..T.</summary>
/// <param name="PopulationLoss">L(n) = 1/2 E_x (y - f)^2 + sigma^2 / 2 on the population set.</param>
/// <param name="TestF">Outputs on the fixed test inputs, [n][j], or null.</param>
/// <param name="BatchF">Outputs on batch n, [n][mu], or null.</param>
/// <param name="BatchDelta">y - f on batch n (noisy targets), [n][mu], or null.</param>
/// <param name="BatchLoss">Batch-mean loss (1/B) 1/2 sum Delta^2 on batch n, or null.</param>
/// <param name="BatchNtk">NTK on batch n, [n][mu][nu], or null.</param>
internal sealed record OnlineTrace(
    double[] PopulationLoss,
    double[][]? TestF = null,
    double[][]? BatchF = null,
    double[][]? BatchDelta = null,
    double[]? BatchLoss = null,
    double[][][]? BatchNtk = null);
