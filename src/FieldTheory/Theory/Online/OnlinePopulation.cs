using FieldTheory.Data;
using FieldTheory.Randomness;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Online;

/// <summary>
/// The input population of online learning (DESIGN.md 3.5) as a fixed weighted set of M_x inputs x ~ N(0, I_D): a
/// randomly rotated Gauss-Hermite product grid for D &lt;= <see cref="MaxGridDimension"/>, Monte Carlo inputs from the
/// data seed above. Targets are the teacher's noiseless y(x); label noise only adds sigma^2 / 2 to the population loss.
/// </summary>
/// <param name="Dimension">D.</param>
/// <param name="X">Inputs, row-major M_x x D.</param>
/// <param name="Weights">Quadrature weights (summing to 1).</param>
/// <param name="Y">Noiseless teacher targets y(x).</param>
/// <param name="NoiseVariance">sigma^2 of the label noise.</param>
/// <param name="Description">One line: which rule.</param>
internal sealed record OnlinePopulation(int Dimension, double[] X, double[] Weights, double[] Y, double NoiseVariance, string Description)
{
    /// <summary>Largest D for which the population is a product grid.</summary>
    public const int MaxGridDimension = 3;

    /// <summary>Monte Carlo population size for D above <see cref="MaxGridDimension"/>.</summary>
    public const int MonteCarloInputs = 4096;

    /// <summary>Stream purpose of the Monte Carlo population (after the data's 1..5 and online batches' 6, 7).</summary>
    public const int PopulationPurpose = 8;

    /// <summary>Seed offset for the grid rotation, so that it is not the teacher's stream of the data seed.</summary>
    private const ulong RotationSalt = 0x9E3779B97F4A7C15UL;

    /// <summary>M_x.</summary>
    public int Count => Weights.Length;

    /// <summary>Grid nodes per axis for D = 1, 2, 3 (12 x 12 for D = 2, as in DESIGN.md 3.5's verified case).</summary>
    public static int GridOrder(int dimension) => dimension switch
    {
        1 => 32,
        2 => 12,
        _ => 10,
    };

    /// <summary>The population of <paramref name="data"/>.</summary>
    public static OnlinePopulation Build(GaussianData data)
    {
        int d = data.Dimension;
        double[] x;
        double[] weights;
        string description;
        if (d <= MaxGridDimension)
        {
            int order = GridOrder(d);
            SiteRule grid = SiteRules.RotatedGrid(order, d, data.Seed ^ RotationSalt);
            x = grid.Nodes;
            weights = grid.Weights;
            description = $"population: randomly rotated Gauss-Hermite product grid {order}^{d} in x";
        }
        else
        {
            var random = new RandomStream(data.Seed);
            ulong stream = StreamId.Of(0, 0, PopulationPurpose);
            x = new double[MonteCarloInputs * d];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = random.Normal(stream, (ulong)i);
            }

            weights = Enumerable.Repeat(1.0 / MonteCarloInputs, MonteCarloInputs).ToArray();
            description = $"population: {MonteCarloInputs} Monte Carlo inputs from the data seed";
        }

        var teacher = new Teacher(data);
        double[] y = [.. Enumerable.Range(0, weights.Length).Select(a => teacher.Evaluate(x.AsSpan(a * d, d)))];
        return new OnlinePopulation(d, x, weights, y, data.Noise * data.Noise, description);
    }

    /// <summary>Population loss 1/2 E_x (y - f)^2 + sigma^2 / 2 of outputs <paramref name="f"/> on the population.</summary>
    public double Loss(ReadOnlySpan<double> f)
    {
        double sum = 0.0;
        for (int a = 0; a < Weights.Length; a++)
        {
            double e = Y[a] - f[a];
            sum += Weights[a] * e * e;
        }

        return 0.5 * (sum + NoiseVariance);
    }
}
