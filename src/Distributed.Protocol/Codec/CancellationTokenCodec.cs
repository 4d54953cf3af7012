namespace Distributed.Protocol.Codec;

/// <summary>
/// A <see cref="CancellationToken"/> argument. A token does not travel as a value: the caller's
/// stays in its process, and the process that runs the call hands the function a token of its own,
/// signaled when the caller's is canceled. On the wire each item holds only whether the caller's
/// token was canceled when it was sent (a token canceled before it is sent stops the call there).
/// </summary>
internal sealed class CancellationTokenCodec() : BoolColumnCodec(typeof(CancellationToken))
{
    protected override bool ToWire(object value) => ((CancellationToken)value).IsCancellationRequested;

    // The receiving side puts the token of its own in the argument's place (see UnitRunner).
    protected override object FromWire(bool wire) => wire ? new CancellationToken(canceled: true) : CancellationToken.None;
}
