using Microsoft.Extensions.Options;

namespace Distributed.Futures.Hosting;

/// <summary>Gathers every problem of one options instance, each naming its key, into one result.</summary>
internal sealed class ValidationErrors(ConfigurationKeys keys)
{
    private readonly List<string> _failures = [];

    /// <summary>Records a failure of <paramref name="property"/> unless <paramref name="valid"/>.</summary>
    public void Check(bool valid, string property, string rule)
    {
        if (!valid)
        {
            Add(property, rule);
        }
    }

    public void Add(string property, string problem) => _failures.Add($"{keys.Of(property)}: {problem}");

    public ValidateOptionsResult Result() => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
