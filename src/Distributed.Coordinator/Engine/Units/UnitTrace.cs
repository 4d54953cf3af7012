namespace Distributed.Coordinator.Engine;

/// <summary>The W3C trace context a unit arrived with, passed on to every worker that runs it.</summary>
internal sealed record UnitTrace(string Parent, string State);
