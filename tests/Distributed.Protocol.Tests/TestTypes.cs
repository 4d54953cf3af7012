namespace Distributed.Protocol.Tests;

public enum Color : byte
{
    Red = 1,
    Green = 2,
    Blue = 250,
}

[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
}

public enum Offset : sbyte
{
    Minus = -5,
    Plus = 5,
}

public enum Huge : ulong
{
    Max = ulong.MaxValue,
}

public sealed record Person(string Name, int Age);

public sealed class Basket
{
    public string? Owner { get; set; }

    public List<string> Items { get; set; } = [];

    public Dictionary<string, int> Counts { get; set; } = [];
}

/// <summary>System.Text.Json detects the cycle and refuses it.</summary>
public sealed class Node
{
    public Node? Next { get; set; }
}

public struct Point
{
    public int X { get; set; }

    public int Y { get; set; }
}
