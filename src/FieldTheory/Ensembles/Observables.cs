namespace FieldTheory.Ensembles;

/// <summary>
/// Where each recorded observable sits in one member's row of Q numbers at one step: f (P), Delta (P), the NTK (P^2),
/// the loss, test outputs (P_test), the test loss (when test targets exist), Phi^l (L P^2) and G^l (L P^2).
/// </summary>
internal sealed class Observables
{
    public Observables(int train, int test, bool testLoss, int layers)
    {
        Train = train;
        Test = test;
        Layers = layers;
        HasTestLoss = testLoss;
        Delta = train;
        Ntk = 2 * train;
        Loss = Ntk + (train * train);
        TestF = Loss + 1;
        TestLoss = TestF + test;
        Feature = TestLoss + (testLoss ? 1 : 0);
        Gradient = Feature + (layers * train * train);
        Count = Gradient + (layers * train * train);
    }

    public int Train { get; }

    public int Test { get; }

    public int Layers { get; }

    public bool HasTestLoss { get; }

    public int F => 0;

    public int Delta { get; }

    public int Ntk { get; }

    public int Loss { get; }

    public int TestF { get; }

    public int TestLoss { get; }

    /// <summary>Start of Phi^1 .. Phi^L, P^2 each.</summary>
    public int Feature { get; }

    /// <summary>Start of G^1 .. G^L, P^2 each.</summary>
    public int Gradient { get; }

    /// <summary>Q, numbers per member and step.</summary>
    public int Count { get; }
}
