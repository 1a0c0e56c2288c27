using System.Runtime.ExceptionServices;

namespace FieldTheory.Compute;

/// <summary>
/// Runs a stepped data-parallel computation on a fixed set of threads: in every step each block runs
/// <c>advance(block, step)</c>, then one thread runs <c>finish(step)</c> (the reductions the next step needs), two
/// barriers per step. This replaces one <see cref="Parallel.For(int, int, Action{int})"/> per step, whose dispatch cost
/// as much as a whole step of the two-layer theory (32000 sites: a second thread made it slower, not faster).
/// Which block runs on which thread does not change any result.
/// </summary>
internal static class LockstepWorkers
{
    /// <summary>
    /// Steps 0..steps-1. An exception in <paramref name="advance"/> or <paramref name="finish"/> (cancellation
    /// included) stops every block after the current step and is rethrown on the calling thread.
    /// </summary>
    public static void Run(int blocks, int steps, Action<int, int> advance, Action<int> finish)
    {
        if (blocks == 1)
        {
            for (int step = 0; step < steps; step++)
            {
                advance(0, step);
                finish(step);
            }

            return;
        }

        using var barrier = new Barrier(blocks);
        ExceptionDispatchInfo? failure = null;
        bool failed = false;
        bool proceed = true;
        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref failed, true);
        }

        void Body(int block)
        {
            // `proceed` is written only by block 0 between the two barriers of a step and read by every block after
            // the second, so all blocks leave after the same step (a failure flag read at the top of the loop could be
            // set by a block already in the next step, and the others would wait at a barrier for ever).
            for (int step = 0; step < steps; step++)
            {
                try
                {
                    advance(block, step);
                }
                catch (Exception e)
                {
                    Fail(e);
                }

                barrier.SignalAndWait();
                if (block == 0)
                {
                    if (!Volatile.Read(ref failed))
                    {
                        try
                        {
                            finish(step);
                        }
                        catch (Exception e)
                        {
                            Fail(e);
                        }
                    }

                    proceed = !Volatile.Read(ref failed);
                }

                barrier.SignalAndWait();
                if (!proceed)
                {
                    return;
                }
            }
        }

        var threads = new Thread[blocks - 1];
        for (int b = 1; b < blocks; b++)
        {
            int block = b;
            threads[b - 1] = new Thread(() => Body(block)) { IsBackground = true, Name = $"lockstep worker {block}" };
            threads[b - 1].Start();
        }

        Body(0);
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        failure?.Throw();
    }
}
