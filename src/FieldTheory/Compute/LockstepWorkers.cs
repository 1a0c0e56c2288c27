using System.Runtime.ExceptionServices;

namespace FieldTheory.Compute;

/// <summary>
/// Runs a stepped data-parallel computation on a fixed set of threads: in every step each block runs
/// <c>advance(block, step)</c>, then block 0 runs <c>finish(step)</c> (the reductions the next step needs) once every
/// block has arrived, and releases them into the next step. Waiting spins (<see cref="SpinWait"/>, yielding when it
/// has spun long), because a step of the two-layer theory takes tens of microseconds: <see cref="Barrier"/>, which
/// blocks in the kernel, cost about 10 us per crossing, more than a second thread saved. This replaces one
/// <see cref="Parallel.For(int, int, Action{int})"/> per step, whose dispatch cost as much as a whole step.
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

        var gate = new StepGate(blocks - 1);
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
            // `proceed` is written only by block 0 after every block has arrived and before the release, and read by
            // every block after it, so all blocks leave after the same step (a failure flag read at the top of the loop
            // could be set by a block already in the next step, and the others would wait for ever).
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

                if (block == 0)
                {
                    gate.WaitForOthers();
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
                    gate.Release(step);
                }
                else
                {
                    gate.Arrive();
                    gate.WaitForRelease(step);
                }

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

    /// <summary>
    /// The meeting point of one step: the other blocks count themselves in, block 0 waits for the count, resets it and
    /// publishes the step as released. The interlocked operations order each block's writes of the step before
    /// block 0's reads in <c>finish</c>, and block 0's writes before every block's next step.
    /// </summary>
    private sealed class StepGate(int others)
    {
        private int _arrived;
        private int _released = -1;

        public void Arrive() => Interlocked.Increment(ref _arrived);

        public void WaitForOthers()
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _arrived) < others)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            // No block arrives again before the release below, so the reset cannot lose an arrival.
            Volatile.Write(ref _arrived, 0);
        }

        public void Release(int step) => Interlocked.Exchange(ref _released, step);

        public void WaitForRelease(int step)
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _released) < step)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }
}
