namespace Distributed.Futures.Internal;

/// <summary>Input handling shared by Wait and AsCompleted.</summary>
internal static class FutureSets
{
    /// <summary>The distinct futures of the input, compared by reference.</summary>
    public static HashSet<TFuture> Distinct<TFuture>(IEnumerable<TFuture> futures)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        var set = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        foreach (var future in futures)
        {
            ThrowIfNull(future, nameof(futures));
            set.Add(future);
        }

        return set;
    }

    public static void ThrowIfNull<TFuture>(TFuture? future, string parameterName)
        where TFuture : Future
    {
        if (future is null)
        {
            throw new ArgumentException("The sequence of futures contains null.", parameterName);
        }
    }
}
