using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Dashboard;

/// <summary>Everything the dashboard shows, as the engine was at one moment (taken under its lock, read without it).</summary>
/// <param name="At">When it was taken, on the engine's clock.</param>
/// <param name="Status">Health, queue, counters and workers, as the Status call answers.</param>
/// <param name="Clients">The clients connected and still submitting.</param>
/// <param name="Journal">Finished units, failures and throughput.</param>
internal sealed record EngineView(DateTimeOffset At, StatusReply Status, IReadOnlyList<EngineView.Client> Clients, TaskJournal.Copy Journal)
{
    /// <param name="Id">Its peer address (a remote client), or what it is (the embedded pool).</param>
    /// <param name="OpenUnits">Its units with items not yet ended.</param>
    /// <param name="ConnectedAt">When it opened its session.</param>
    /// <param name="SinceHeard">Since anything arrived from it.</param>
    public sealed record Client(string Id, int OpenUnits, DateTimeOffset ConnectedAt, TimeSpan SinceHeard);
}
