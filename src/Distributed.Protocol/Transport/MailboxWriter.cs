namespace Distributed.Protocol;

/// <summary>
/// The one loop that empties a stream's mailbox: each message it takes is cut to fit the
/// receiver's limit and written; when nothing was posted for an idle interval, a heartbeat goes
/// out instead, so the other side can tell a quiet peer from a frozen one.
/// </summary>
internal static class MailboxWriter
{
    /// <param name="mailbox">What to send.</param>
    /// <param name="write">Writes one message to the stream.</param>
    /// <param name="split">Cuts a message into parts that fit the receiver's limit.</param>
    /// <param name="idle">How long a quiet stream waits before a heartbeat; infinite: never a heartbeat.</param>
    /// <param name="heartbeat">Makes a heartbeat message.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    public static async Task RunAsync<TMessage>(
        Mailbox<TMessage> mailbox,
        Func<TMessage, CancellationToken, Task> write,
        Func<TMessage, IEnumerable<TMessage>> split,
        Func<TimeSpan> idle,
        Func<TMessage> heartbeat,
        CancellationToken cancellationToken)
        where TMessage : class, new()
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var message = await mailbox.TakeAsync(idle(), cancellationToken).ConfigureAwait(false) ?? heartbeat();
            foreach (var part in split(message))
            {
                await write(part, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
