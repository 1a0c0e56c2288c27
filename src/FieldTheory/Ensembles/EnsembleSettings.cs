using FieldTheory.Data;

namespace FieldTheory.Ensembles;

/// <summary>Everything an ensemble run needs besides the model (DESIGN.md sections 2 and 5).</summary>
/// <param name="Data">Training and test points (for online SGD: the fixed test set).</param>
/// <param name="Gamma0">Feature-learning strength gamma0.</param>
/// <param name="Eta">Learning rate eta; t = n eta.</param>
/// <param name="Steps">Number of updates T; observables are recorded at n = 0..T.</param>
/// <param name="Centered">Train f - f(theta_0), so that f(0) = 0.</param>
/// <param name="Width">N.</param>
/// <param name="Members">E.</param>
/// <param name="Seed">Key of the counter-based generator for the weights.</param>
/// <param name="Online">Online SGD on fresh gaussian batches, or null for full-batch gradient descent on <paramref name="Data"/>.</param>
internal sealed record EnsembleSettings(
    Dataset Data,
    double Gamma0,
    double Eta,
    int Steps,
    bool Centered,
    int Width,
    int Members,
    ulong Seed,
    OnlineSampling? Online = null);

/// <summary>
/// Online SGD (DESIGN.md 3.5): at step n a fresh batch of <paramref name="Batch"/> inputs x ~ N(0, I_D) from the data
/// seed's stream (indices n B D onwards), targets from the teacher; the loss is the batch mean (1/B) 1/2 sum (y - f)^2.
/// </summary>
internal sealed record OnlineSampling(GaussianData Data, int Batch);
