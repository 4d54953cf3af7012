using Distributed.Futures;
using Distributed.Protocol;
using Distributed.Protocol.V1;

namespace Distributed.Remoting;

/// <summary>Turns calls to one function into one unit: a column of values per parameter.</summary>
internal static class CallEncoder
{
    /// <summary>
    /// Encodes the calls' arguments. An item whose argument cannot be encoded is marked skipped, so
    /// it never runs, and comes back in <c>Failures</c>: it fails that future only.
    /// </summary>
    public static (CallUnit Unit, Dictionary<int, Exception>? Failures) Encode<TResult>(
        uint functionId,
        IReadOnlyList<ExecutorCall<TResult>> calls,
        IReadOnlyList<Type> parameterTypes,
        string functionName)
    {
        var unit = new CallUnit { FunctionId = functionId, Count = (uint)calls.Count };
        var writers = parameterTypes.Select(type => new ColumnWriter(type)).ToArray();
        Dictionary<int, Exception>? failures = null;
        for (int item = 0; item < calls.Count; item++)
        {
            int parameter = 0;
            try
            {
                for (; parameter < writers.Length; parameter++)
                {
                    writers[parameter].Add(calls[item].GetArgument(parameter));
                }
            }
            catch (ValueCodecException error)
            {
                // The failing writer added nothing: pad it and the rest so the columns stay aligned.
                for (int rest = parameter; rest < writers.Length; rest++)
                {
                    writers[rest].AddPlaceholder();
                }

                (failures ??= [])[item] = new ArgumentException(
                    $"Argument {parameter} of {functionName} ({Describe(calls[item].Function, parameter, parameterTypes[parameter])}) cannot be sent to a worker process: {error.Message}", error);
                unit.Skip.Add((uint)item);
            }
        }

        unit.Arguments.AddRange(writers.Select(writer => writer.ToColumn()));
        return (unit, failures);
    }

    /// <summary>The parameter as the method declares it, for the error: <c>Stream input</c>.</summary>
    private static string Describe(Delegate function, int parameter, Type type)
    {
        var parameters = function.Method.GetParameters();
        string? name = parameter < parameters.Length ? parameters[parameter].Name : null;
        return name is null ? TypeNames.Display(type) : $"{TypeNames.Display(type)} {name}";
    }
}
