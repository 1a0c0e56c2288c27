using System.Runtime.ExceptionServices;

namespace FieldTheory.Compute;

/// <summary>
/// Runs independent blocks of work on their own threads (block 0 on the caller's) and waits for all. The first exception
/// of any block (cancellation included) cancels the token the others were given, so they stop at their next check, and
/// is rethrown on the calling thread.
/// </summary>
internal static class BlockWorkers
{
    public static void Run(int blocks, Action<int, CancellationToken> body, CancellationToken ct)
    {
        if (blocks == 1)
        {
            body(0, ct);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ExceptionDispatchInfo? failure = null;
        void Body(int block)
        {
            try
            {
                body(block, stop.Token);
            }
            catch (Exception e)
            {
                // The first failure is the cause; the others' cancellations follow from it.
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                stop.Cancel();
            }
        }

        var threads = new Thread[blocks - 1];
        for (int b = 1; b < blocks; b++)
        {
            int block = b;
            threads[b - 1] = new Thread(() => Body(block)) { IsBackground = true, Name = $"block worker {block}" };
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
