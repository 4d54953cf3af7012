using Distributed.Protocol.V1;

namespace Distributed.Protocol;

/// <summary>
/// Describes a submitted function so another process can find it by name. Only a public static
/// method, or a lambda or local function that captures nothing, can be described; anything else is
/// an <see cref="ArgumentException"/> that names the method and says why. Descriptions are cached
/// per method.
/// </summary>
public static class FunctionIdentity
{
    /// <exception cref="ArgumentException">The function captures state, is not public, or cannot be found by name.</exception>
    public static FunctionRef Describe(Delegate function) => throw new NotImplementedException();

    /// <summary>The parameter types and return type the wire uses for <paramref name="function"/>'s method.</summary>
    public static (Type[] ParameterTypes, Type ReturnType) Signature(Delegate function) => throw new NotImplementedException();
}
