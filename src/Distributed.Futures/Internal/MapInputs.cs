namespace Distributed.Futures.Internal;

/// <summary>What a Map can learn about its input without reading it.</summary>
internal static class MapInputs
{
    /// <summary>
    /// How many pairs a two-sequence Map zips, if both sequences can say how long they are; asked
    /// only for a buffered Map (an unbuffered one has read its input, and knows, before it returns).
    /// </summary>
    public static long? ZippedCount<T1, T2>(IEnumerable<T1> items1, IEnumerable<T2> items2, int? bufferSize) =>
        bufferSize is not null && items1.TryGetNonEnumeratedCount(out int count1) && items2.TryGetNonEnumeratedCount(out int count2)
            ? Math.Min(count1, count2)
            : null;
}
