using FieldTheory.Compute;

namespace FieldTheory.Theory.Tests;

public sealed class LockstepWorkersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FinishSeesEveryBlockOfItsStepAndNoBlockRunsAhead(int blocks)
    {
        const int Steps = 200;
        var done = new int[blocks];
        var seen = new List<int[]>();
        LockstepWorkers.Run(
            blocks,
            Steps,
            (b, step) =>
            {
                Assert.Equal(step, done[b]); // the previous finish ran before this step started
                done[b]++;
            },
            step => seen.Add([.. done]));
        Assert.Equal(Steps, seen.Count);
        for (int step = 0; step < Steps; step++)
        {
            Assert.All(seen[step], count => Assert.Equal(step + 1, count));
        }
    }

    [Fact]
    public void AnExceptionInOneBlockStopsAllAndReachesTheCaller()
    {
        int finished = -1;
        var e = Assert.Throws<InvalidOperationException>(() => LockstepWorkers.Run(
            3,
            100,
            (b, step) =>
            {
                if (b == 2 && step == 5)
                {
                    throw new InvalidOperationException("block 2 failed");
                }
            },
            step => finished = step));
        Assert.Equal("block 2 failed", e.Message);
        Assert.Equal(4, finished);
    }

    [Fact]
    public void CancellationInFinishIsRethrown()
    {
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => LockstepWorkers.Run(
            2,
            100,
            (_, _) => { },
            step =>
            {
                if (step == 3)
                {
                    cancel.Cancel();
                }

                cancel.Token.ThrowIfCancellationRequested();
            }));
    }
}
