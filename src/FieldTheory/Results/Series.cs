namespace FieldTheory.Results;

/// <summary>
/// One statistic (a mean, a standard error, N times a variance, ...) of every observable over time. Index n runs
/// over n = 0..T (the state after n updates, time t = n eta); mu, nu over training points; j over test points;
/// l over hidden layers 1..L.
/// </summary>
/// <param name="F">Network output f_mu(n), [n][mu].</param>
/// <param name="Delta">Error Delta_mu(n) = y_mu - f_mu(n), [n][mu].</param>
/// <param name="Ntk">Neural tangent kernel K_{mu nu}(n), [n][mu][nu].</param>
/// <param name="Loss">Training loss 1/2 sum_mu Delta_mu(n)^2, [n].</param>
/// <param name="TestF">Output on test points, [n][j]; null without test points.</param>
/// <param name="FeatureKernel">Phi^l_{mu nu}(n, n), [l-1][n][mu][nu]; null when not recorded.</param>
/// <param name="GradientKernel">G^l_{mu nu}(n, n), [l-1][n][mu][nu]; null when not recorded.</param>
/// <param name="TestLoss">Test loss 1/(2 P_test) sum_j (y_j - f_j(n))^2 (a mean over test points, for online SGD the
/// population loss estimate), [n]; null without test targets.</param>
public sealed record Series(
    double[][] F,
    double[][] Delta,
    double[][][] Ntk,
    double[] Loss,
    double[][]? TestF = null,
    double[][][][]? FeatureKernel = null,
    double[][][][]? GradientKernel = null,
    double[]? TestLoss = null);
