using System.CommandLine;
using Distributed.Protocol;
using Distributed.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace Distributed.CoordinatorHost;

/// <summary>
/// <c>coordinator status</c>: asks a running coordinator for its workers, queue, counters and
/// health and prints them as a table (or JSON for scripts), once or every few seconds.
/// Exit codes: 0 healthy, 1 not healthy (broken, or no worker connected), 2 invalid options,
/// 3 the coordinator could not be asked (unreachable, or it refused the token).
/// </summary>
internal static class StatusCommand
{
    public const int Healthy = 0;
    public const int NotHealthy = 1;
    public const int Unreachable = 3;

    private static readonly TimeSpan s_answerLimit = TimeSpan.FromSeconds(5);
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static Command Create()
    {
        var address = new Option<string>("--coordinator")
        {
            Description = "The coordinator to ask: http://host:port, https://host:port or unix:/path.sock (default http://127.0.0.1:5000).",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var tokenFile = new Option<FileInfo?>("--token-file")
        {
            Description = $"A file holding the coordinator's token. Without it the token is read from {TokenSource.EnvironmentVariable}, if set.",
        };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON, one object per answer and line: {\"healthyNow\": true|false, \"status\": StatusReply in protobuf's JSON mapping, every field present}." };
        var watch = new Option<double?>("--watch")
        {
            Description = "Ask again every this many seconds (default 2 when given without a value) until interrupted; the exit code is the last answer's.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        watch.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && (!double.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out double seconds) || seconds <= 0))
            {
                result.AddError("--watch takes a positive number of seconds.");
            }
        });
        var command = new Command("status", "Show a running coordinator's workers, queue, counters and health; the exit code says whether it is healthy.")
        {
            address, tokenFile, json, watch,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            CoordinatorAddress target;
            string? token;
            try
            {
                target = CoordinatorAddress.Parse(parsed.GetValue(address)!);
                token = TokenSource.Read(parsed.GetValue(tokenFile));
            }
            catch (Exception error) when (error is ArgumentException or IOException)
            {
                await Console.Error.WriteLineAsync($"coordinator status: {error.Message}").ConfigureAwait(false);
                return 2;
            }

            bool watching = parsed.GetResult(watch) is not null;
            var every = TimeSpan.FromSeconds(parsed.GetValue(watch) ?? 2);
            using var channel = target.CreateChannel(ProtocolInfo.DefaultMaxMessageBytes, s_answerLimit);
            var client = new ExecutorService.ExecutorServiceClient(channel);
            int exitCode;
            do
            {
                exitCode = await ShowOnceAsync(client, target, token, parsed.GetValue(json), clear: watching && !parsed.GetValue(json), cancellationToken).ConfigureAwait(false);
                if (!watching)
                {
                    break;
                }

                try
                {
                    await Task.Delay(every, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            while (!cancellationToken.IsCancellationRequested);

            return exitCode;
        });
        return command;
    }

    private static async Task<int> ShowOnceAsync(ExecutorService.ExecutorServiceClient client, CoordinatorAddress target, string? token, bool json, bool clear, CancellationToken cancellationToken)
    {
        StatusReply status;
        try
        {
            status = await client.StatusAsync(new StatusRequest(), CoordinatorAddress.Credentials(token), DateTime.UtcNow + s_answerLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            string why = error.StatusCode switch
            {
                StatusCode.Unauthenticated or StatusCode.PermissionDenied => "it refused the token (give the right one with --token-file or DISTRIBUTED_TOKEN)",
                StatusCode.DeadlineExceeded => $"it did not answer within {s_answerLimit.TotalSeconds:0} s",
                _ => error.Status.Detail,
            };
            await Console.Error.WriteLineAsync($"coordinator status: cannot ask {target}: {why}").ConfigureAwait(false);
            return Unreachable;
        }

        bool healthy = StatusTable.IsHealthy(status);
        if (json)
        {
            // Protobuf's own JSON mapping, so a script reads the same field names as the proto; one verdict added.
            string body = s_json.Format(status);
            Console.WriteLine($"{{\"healthyNow\":{(healthy ? "true" : "false")},\"status\":{body}}}");
        }
        else
        {
            if (clear && !Console.IsOutputRedirected)
            {
                Console.Clear();
            }

            Console.Write(StatusTable.Render(target.Text, status));
        }

        return healthy ? Healthy : NotHealthy;
    }
}
