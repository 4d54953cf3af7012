namespace Distributed.Coordinator.Dashboard;

/// <summary>
/// The last <c>capacity</c> entries added, the oldest overwritten: adding never allocates, so the
/// engine can record every finished unit in it. Not thread-safe; its owner's lock guards it.
/// </summary>
internal sealed class Ring<T>(int capacity)
    where T : struct
{
    private readonly T[] _entries = new T[capacity];
    private int _next;
    private int _count;

    public int Count => _count;

    public void Add(in T entry)
    {
        _entries[_next] = entry;
        _next = (_next + 1) % _entries.Length;
        _count = Math.Min(_count + 1, _entries.Length);
    }

    /// <summary>A copy of what it holds, newest first.</summary>
    public T[] NewestFirst()
    {
        var copy = new T[_count];
        for (int i = 0; i < _count; i++)
        {
            copy[i] = _entries[(_next - 1 - i + _entries.Length) % _entries.Length];
        }

        return copy;
    }
}
