namespace Distributed.Remoting;

/// <summary>From the decoded, boxed result to the future's type: null becomes the type's default.</summary>
internal static class ResultCast
{
    public static TResult To<TResult>(object? value) => value is null ? default! : (TResult)value;
}
