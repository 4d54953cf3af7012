using System.Runtime.InteropServices;
using Distributed.Protocol.V1;
using Google.Protobuf;

namespace Distributed.Coordinator.Wire;

/// <summary>
/// Reads a forwarded argument the way a worker will, so that what no worker could read is refused
/// here, to its sender, and never reaches (and ends the stream of) worker after worker. The
/// decoded column is only looked at and dropped: the unit keeps its bytes.
/// </summary>
internal static class ArgumentColumns
{
    // A worker reads a column two messages deep (CoordinatorMessage, CallUnit, Column) under
    // protobuf's default nesting limit of 100: a column nested deeper would fail there.
    private const int RecursionLimit = 98;

    /// <exception cref="InvalidProtocolBufferException">The bytes are not a column a worker can read.</exception>
    public static Column Read(ByteString argument)
    {
        var bytes = MemoryMarshal.TryGetArray(argument.Memory, out var segment) ? segment : new ArraySegment<byte>(argument.ToByteArray());
        using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
        using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, RecursionLimit);
        return Column.Parser.ParseFrom(input);
    }
}
