namespace Distributed.Futures;

/// <summary>The result of <see cref="Future.Wait{TFuture}"/>: the futures that were done and those that were not.</summary>
/// <typeparam name="TFuture">The future type that was waited on.</typeparam>
/// <param name="Done">Futures that had finished or were canceled when the wait returned.</param>
/// <param name="NotDone">Futures that were still pending or running when the wait returned.</param>
public sealed record DoneAndNotDone<TFuture>(IReadOnlySet<TFuture> Done, IReadOnlySet<TFuture> NotDone);
