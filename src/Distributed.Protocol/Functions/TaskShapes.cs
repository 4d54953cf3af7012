using System.Reflection;

namespace Distributed.Protocol.Functions;

/// <summary>
/// What a task function's result is on the wire: the awaited value. A method returning
/// <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/> sends its <c>TResult</c>; one
/// returning <see cref="Task"/> or <see cref="ValueTask"/> sends nothing, as a void method does.
/// Client and worker both read a signature through this, so they agree on the result's type.
/// </summary>
internal static class TaskShapes
{
    private static readonly MethodInfo s_ofTask = typeof(TaskShapes).GetMethod(nameof(OfResultTask), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_ofValueTask = typeof(TaskShapes).GetMethod(nameof(OfValueTask), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The type the result is encoded as: the awaited type of a task, <c>typeof(void)</c> for a task without one, else <paramref name="declared"/>.</summary>
    public static Type WireResultType(Type declared)
    {
        if (declared == typeof(Task) || declared == typeof(ValueTask))
        {
            return typeof(void);
        }

        return declared.IsGenericType && declared.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            ? declared.GetGenericArguments()[0]
            : declared;
    }

    /// <summary>
    /// For a method that returns a task: turns what it returned into the awaited value (null for a
    /// task without one), without allocating when the task has already ended. Null for any other method.
    /// </summary>
    public static Func<object?, ValueTask<object?>>? Awaiter(Type declared)
    {
        if (declared == typeof(Task))
        {
            return static returned => OfTask(NotNull<Task>(returned));
        }

        if (declared == typeof(ValueTask))
        {
            return static returned => OfTask(((ValueTask)returned!).AsTask());
        }

        if (!declared.IsGenericType)
        {
            return null;
        }

        var definition = declared.GetGenericTypeDefinition();
        var method = definition == typeof(Task<>) ? s_ofTask : definition == typeof(ValueTask<>) ? s_ofValueTask : null;
        return method?.MakeGenericMethod(declared.GetGenericArguments()[0]).CreateDelegate<Func<object?, ValueTask<object?>>>();
    }

    private static ValueTask<object?> OfTask(Task task)
    {
        return task.IsCompletedSuccessfully ? new((object?)null) : Slow(task);

        static async ValueTask<object?> Slow(Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }
    }

    private static ValueTask<object?> OfResultTask<T>(object? returned)
    {
        var task = NotNull<Task<T>>(returned);
        return task.IsCompletedSuccessfully ? new(task.Result) : Slow(task);

        static async ValueTask<object?> Slow(Task<T> task) => await task.ConfigureAwait(false);
    }

    private static ValueTask<object?> OfValueTask<T>(object? returned)
    {
        var task = (ValueTask<T>)returned!;
        return task.IsCompletedSuccessfully ? new(task.Result) : Slow(task);

        static async ValueTask<object?> Slow(ValueTask<T> task) => await task.ConfigureAwait(false);
    }

    private static T NotNull<T>(object? returned)
        where T : class =>
        returned as T ?? throw new InvalidOperationException("The task function returned null instead of a Task.");
}
