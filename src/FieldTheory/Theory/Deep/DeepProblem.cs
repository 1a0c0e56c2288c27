namespace FieldTheory.Theory.Deep;

/// <summary>
/// The validated inputs shared by the deep solvers: depth, the input Gram matrix over train then test points, targets
/// and the training conventions of DESIGN.md section 2. Points are indexed time-major, i = n * Points + mu, so that
/// every causal object is block lower triangular in i.
/// </summary>
internal sealed class DeepProblem
{
    public DeepProblem(int hiddenLayers, double[] inputGram, int trainCount, double[] y, double gamma0, double eta, int steps, bool centered)
    {
        ArgumentNullException.ThrowIfNull(inputGram);
        ArgumentNullException.ThrowIfNull(y);
        if (hiddenLayers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers, "a network needs at least one hidden layer");
        }

        int points = (int)Math.Round(Math.Sqrt(inputGram.Length));
        if (points * points != inputGram.Length || points == 0)
        {
            throw new ArgumentException($"inputGram must be a square matrix (train then test points, row-major); it has {inputGram.Length} entries", nameof(inputGram));
        }

        if (trainCount < 1 || trainCount > points)
        {
            throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"must be between 1 and the {points} points of inputGram");
        }

        if (y.Length != trainCount)
        {
            throw new ArgumentException($"y has {y.Length} targets but there are {trainCount} training points", nameof(y));
        }

        if (!(gamma0 > 0) || !double.IsFinite(gamma0))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma0), gamma0, "gamma0 must be positive and finite");
        }

        if (!(eta > 0) || !double.IsFinite(eta))
        {
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be positive and finite");
        }

        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be non-negative");
        }

        HiddenLayers = hiddenLayers;
        InputGram = inputGram;
        Points = points;
        TrainCount = trainCount;
        Y = y;
        Gamma0 = gamma0;
        Eta = eta;
        Steps = steps;
        Centered = centered;
    }

    public int HiddenLayers { get; }

    public double[] InputGram { get; }

    /// <summary>Train plus test points.</summary>
    public int Points { get; }

    public int TrainCount { get; }

    public int TestCount => Points - TrainCount;

    public double[] Y { get; }

    public double Gamma0 { get; }

    public double Eta { get; }

    public int Steps { get; }

    public bool Centered { get; }

    /// <summary>Size of a (time, point) index: Points * (Steps + 1).</summary>
    public int Size => Points * (Steps + 1);

    /// <summary>K^x expanded to a constant-in-time kernel over (time, point) indices.</summary>
    public double[] ExpandedInputGram() => ExpandInTime(InputGram, Points, Steps);

    /// <summary>A P x P kernel over points as a constant-in-time kernel over the time-major indices i = n P + mu.</summary>
    public static double[] ExpandInTime(double[] gram, int points, int steps)
    {
        int size = points * (steps + 1);
        var expanded = new double[(long)size * size];
        for (int i = 0; i < size; i++)
        {
            int mu = i % points;
            for (int j = 0; j < size; j++)
            {
                expanded[(long)i * size + j] = gram[mu * points + j % points];
            }
        }

        return expanded;
    }
}
