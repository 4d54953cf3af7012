namespace Distributed.Protocol.Functions;

/// <summary>The kinds of method another process may find by name and run.</summary>
internal enum FunctionKind
{
    /// <summary>A public static method of a type visible outside its assembly.</summary>
    PublicStatic,

    /// <summary>A static method the compiler made from a lambda or local function that captures nothing.</summary>
    GeneratedStatic,

    /// <summary>A lambda that captures nothing, compiled as an instance method of the compiler's <c>&lt;&gt;c</c> singleton.</summary>
    LambdaSingleton,
}
