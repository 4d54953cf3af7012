namespace Distributed.Futures.Internal;

/// <summary>A sequence that counts its own items' outcomes for <see cref="ProgressExtensions.WithProgress{T}"/> (a Map's results).</summary>
internal interface IProgressSource
{
    /// <summary>Starts reporting to <paramref name="reporter"/>: calls its <c>Start</c> with the counts so far.</summary>
    /// <exception cref="InvalidOperationException">Already followed, or the iteration has ended.</exception>
    void Follow(ProgressReporter reporter);
}
