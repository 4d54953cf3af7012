using Distributed.Protocol;

namespace Distributed.Samples.Seed;

/// <summary>The sample's two options, taken out of the argument list so that what is left names examples.</summary>
public sealed record SampleOptions(long PrimesLimit, string? Coordinator, string? Error)
{
    /// <summary>The cluster's token: from --token-file, else DISTRIBUTED_TOKEN.</summary>
    public string? Token { get; init; }

    public static SampleOptions Parse(ref string[] args)
    {
        var rest = new List<string>();
        long limit = 1_000_000_000;
        string? coordinator = null;
        string? tokenFile = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--limit" when i + 1 < args.Length && long.TryParse(args[i + 1], out limit) && limit >= 2:
                    i++;
                    break;
                case "--limit":
                    return new SampleOptions(limit, null, "--limit needs a whole number of at least 2.");
                case "--coordinator" when i + 1 < args.Length:
                    coordinator = args[++i];
                    break;
                case "--coordinator":
                    return new SampleOptions(limit, null, "--coordinator needs an address, such as http://coordinator:5000.");
                case "--token-file" when i + 1 < args.Length:
                    tokenFile = args[++i];
                    break;
                case "--token-file":
                    return new SampleOptions(limit, null, "--token-file needs a file.");
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        args = [.. rest];
        return new SampleOptions(limit, coordinator, null) { Token = TokenSource.Read(tokenFile is null ? null : new FileInfo(tokenFile)) };
    }
}
