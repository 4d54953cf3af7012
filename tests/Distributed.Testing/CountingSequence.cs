using System.Collections;

namespace Distributed.Testing;

/// <summary>An input sequence that counts how many items were pulled from it, and can be infinite.</summary>
public sealed class CountingSequence<T>(Func<int, T> itemAt, int? count = null) : IEnumerable<T>
{
    private int _pulled;

    /// <summary>How many items have been pulled, over every enumeration.</summary>
    public int Pulled => Volatile.Read(ref _pulled);

    public bool Disposed { get; private set; }

    public IEnumerator<T> GetEnumerator()
    {
        try
        {
            for (int i = 0; count is null || i < count; i++)
            {
                Interlocked.Increment(ref _pulled);
                yield return itemAt(i);
            }
        }
        finally
        {
            Disposed = true;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
