using Distributed.Protocol.V1;

namespace Distributed.Coordinator.Engine;

/// <summary>The functions units name, each given one id, which is what units and workers carry. Guarded by the engine's lock.</summary>
internal sealed class FunctionCatalog
{
    private readonly Dictionary<FunctionRef, uint> _ids = [];
    private readonly List<FunctionRef> _functions = [];

    // Made once per function: the dashboard's journal names the function of every finished unit.
    private readonly List<string> _names = [];

    /// <summary>The function's id: the one it was given before, or a new one.</summary>
    public uint Register(FunctionRef function)
    {
        if (!_ids.TryGetValue(function, out uint id))
        {
            id = (uint)_functions.Count;
            _functions.Add(function);
            _names.Add($"{function.TypeName}.{function.MethodName}");
            _ids[function] = id;
        }

        return id;
    }

    public bool Knows(uint id) => id < _functions.Count;

    /// <summary>The function of a known id.</summary>
    public FunctionRef this[uint id] => _functions[(int)id];

    /// <summary>The function's name, for messages ("the task" for an id never given).</summary>
    public string NameOf(uint id) => Knows(id) ? _names[(int)id] : "the task";
}
