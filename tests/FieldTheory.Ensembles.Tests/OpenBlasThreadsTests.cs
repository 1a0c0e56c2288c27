namespace FieldTheory.Ensembles.Tests;

/// <summary>Not run in parallel with anything: OpenBLAS's thread count is process-wide.</summary>
[CollectionDefinition(nameof(OpenBlasThreadsCollection), DisableParallelization = true)]
public sealed class OpenBlasThreadsCollection;

/// <summary>
/// The engines make OpenBLAS single-threaded (one product per member, members in parallel) and give the process its
/// thread count back when they finish.
/// </summary>
[Collection(nameof(OpenBlasThreadsCollection))]
public sealed class OpenBlasThreadsTests
{
    [Fact]
    public void ScopesNestAndTheLastRestoresTheThreadCount()
    {
        if (!OpenBlas.IsAvailable)
        {
            return; // nothing to set: SingleThreaded() is a no-op without the library
        }

        int before = OpenBlas.GetThreads();
        IDisposable outer = OpenBlas.SingleThreaded();
        Assert.Equal(1, OpenBlas.GetThreads());
        using (OpenBlas.SingleThreaded())
        {
            Assert.Equal(1, OpenBlas.GetThreads());
        }

        Assert.Equal(1, OpenBlas.GetThreads());
        outer.Dispose();
        outer.Dispose(); // a second Dispose must not close another scope
        Assert.Equal(before, OpenBlas.GetThreads());
    }

    [Fact]
    public void ADeepEnsembleOnOpenBlasLeavesTheThreadCountAsItFoundIt()
    {
        int before = OpenBlas.GetThreads();
        var data = new Data.Dataset(3, [1.0, -0.5, 0.3, 0.2, 0.9, -1.1], [0.6, -0.4]);
        Ensembles.Train("DeepTanh", data, 1.0, 0.1, 3, 16, 4);
        Assert.Equal(before, OpenBlas.GetThreads());
    }
}
