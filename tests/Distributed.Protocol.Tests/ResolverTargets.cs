namespace Distributed.Protocol.Tests;

/// <summary>Methods the function tests send by name and resolve back from this assembly.</summary>
public static class ResolverTargets
{
    // A lambda that captures nothing: the compiler makes it an instance method of ResolverTargets+<>c.
    public static readonly Func<int, int> Increment = x => x + 1;

    private static int s_secretCalls;

    public static int SecretCalls => Volatile.Read(ref s_secretCalls);

    public static int Square(int value) => value * value;

    public static int Square(long value) => (int)(value * value);

    public static string Describe(string? name, double[] values, Color color) =>
        $"{name ?? "nobody"}:{values.Sum()}:{color}";

    public static T Echo<T>(T value) => value;

    public static int CountItems<T>(List<T> items) => items.Count;

    public static void Fail(string message) => throw new InvalidOperationException(message);

    public static int CharCount(this string text) => text.Length;

    /// <summary>A static local function that captures nothing.</summary>
    public static Func<int, int> Tripler()
    {
        return Triple;

        static int Triple(int value) => value * 3;
    }

    public static int Secret(int value) => Hidden(value);

    private static int Hidden(int value)
    {
        Interlocked.Increment(ref s_secretCalls);
        return -value;
    }
}

/// <summary>Methods of a generic type cannot be found by name in another process.</summary>
public static class GenericHolder<T>
{
#pragma warning disable CA1000 // The static member on a generic type is what the test is about.
    public static T Identity(T value) => value;
#pragma warning restore CA1000
}

/// <summary>An object whose instance methods cannot be sent.</summary>
public sealed class Adder(int amount)
{
    public int Add(int value) => value + amount;
}

internal static class InternalTargets
{
    public static int Negate(int value) => -value;
}
