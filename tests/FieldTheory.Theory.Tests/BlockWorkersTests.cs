using FieldTheory.Compute;

namespace FieldTheory.Theory.Tests;

public sealed class BlockWorkersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryBlockRunsOnce(int blocks)
    {
        var runs = new int[blocks];
        BlockWorkers.Run(blocks, (b, _) => Interlocked.Increment(ref runs[b]), CancellationToken.None);
        Assert.All(runs, count => Assert.Equal(1, count));
    }

    [Fact]
    public void AnExceptionInOneBlockStopsTheOthersAndReachesTheCaller()
    {
        int stoppedEarly = 0;
        var e = Assert.Throws<InvalidOperationException>(() => BlockWorkers.Run(
            3,
            (b, ct) =>
            {
                if (b == 2)
                {
                    throw new InvalidOperationException("block 2 failed");
                }

                // The others would run for ever unless the failure cancels them.
                while (true)
                {
                    if (ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref stoppedEarly);
                        ct.ThrowIfCancellationRequested();
                    }

                    Thread.Sleep(1);
                }
            },
            CancellationToken.None));
        Assert.Equal("block 2 failed", e.Message);
        Assert.Equal(2, stoppedEarly);
    }

    [Fact]
    public void CancellationIsRethrown()
    {
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => BlockWorkers.Run(
            2,
            (b, ct) =>
            {
                if (b == 1)
                {
                    cancel.Cancel();
                }

                for (int step = 0; step < 1000; step++)
                {
                    ct.ThrowIfCancellationRequested();
                    Thread.Sleep(1);
                }
            },
            cancel.Token));
    }
}
