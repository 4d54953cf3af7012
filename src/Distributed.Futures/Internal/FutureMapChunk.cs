namespace Distributed.Futures.Internal;

/// <summary>A chunk made of one future per item: what an executor that runs items one by one returns.</summary>
internal sealed class FutureMapChunk<TResult>(IReadOnlyList<Future<TResult>> futures) : MapChunk<TResult>
{
    public override int Count => futures.Count;

    public override bool IsDone(int index) => futures[index].IsDone;

    public override TResult Result(int index, TimeSpan? timeout) => futures[index].Result(timeout);

    public override void CancelFrom(int index)
    {
        for (int i = index; i < futures.Count; i++)
        {
            futures[i].Cancel();
        }
    }
}
