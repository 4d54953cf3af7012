namespace Distributed.Protocol;

/// <summary>The token that ends a stream's loops, cancelled from whoever finds the stream over.</summary>
internal static class StreamTokens
{
    /// <summary>Cancels <paramref name="source"/>, which may have been disposed with its stream already.</summary>
    public static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream has ended already.
        }
    }
}
