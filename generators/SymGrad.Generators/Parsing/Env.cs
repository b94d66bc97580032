using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// A local array: of constant size and scalarised (one SSA value per element, replaced on assignment), or, when its
/// size is known only at run time or a loop indexes it at run time, memory (<see cref="Memory"/>: the IR's array,
/// whose lengths are the values <see cref="LengthValue0"/> and <see cref="LengthValue1"/>).
/// </summary>
internal sealed class LocalArray
{
    public LocalArray(string name, int length0, int length1, int[] slots)
    {
        Name = name;
        Length0 = length0;
        Length1 = length1;
        Slots = slots;
    }

    public static LocalArray InMemory(string name, int memory, int lengthValue0, int lengthValue1) =>
        new(name, -1, -1, System.Array.Empty<int>()) { Memory = memory, LengthValue0 = lengthValue0, LengthValue1 = lengthValue1 };



    /// <summary>The IR array holding the elements, or -1 for a scalarised array.</summary>
    public int Memory { get; private init; } = -1;

    public int LengthValue0 { get; private init; } = -1;

    public int LengthValue1 { get; private init; } = -1;

    public bool IsMemory => Memory >= 0;

    public string Name { get; }

    /// <summary>The local that declared the array (its other names are aliases).</summary>
    public ISymbol? Symbol { get; init; }

    public int Length0 { get; }

    /// <summary>-1 for a one-dimensional array.</summary>
    public int Length1 { get; }

    public int[] Slots { get; }

    /// <summary>A branch's own copy of the elements; memory is one for all paths (its writes are effects, in order).</summary>
    public LocalArray Clone() => IsMemory ? this : new(Name, Length0, Length1, (int[])Slots.Clone()) { Symbol = Symbol };
}

/// <summary>What an array-typed name stands for: a parameter of the method being generated, or a local array.</summary>
internal sealed class ArrayBinding
{
    private ArrayBinding(int param, LocalArray? local)
    {
        Param = param;
        Local = local;
    }

    public int Param { get; }
    public LocalArray? Local { get; }

    /// <summary>For a slice of a parameter (<c>v[1..]</c>, <c>v.Slice(i, n)</c>): the IR int where it starts in the parameter, else -1.</summary>
    public int Offset { get; private set; } = -1;

    /// <summary>For a slice: the IR int of its length.</summary>
    public int Count { get; private set; } = -1;

    public bool IsSlice => Offset >= 0;

    public static ArrayBinding ForParam(int param) => new(param, null);

    public static ArrayBinding ForSlice(int param, int offset, int count) => new(param, null) { Offset = offset, Count = count };
    public static ArrayBinding ForLocal(LocalArray local) => new(-1, local);
}

/// <summary>
/// A scalar variable of the environment: a local, parameter or field (<see cref="Member"/> empty), or one number
/// inside a struct, record or tuple variable (<see cref="Member"/> its path, <c>Min.X</c>, <c>Item2</c>): a value
/// of a struct type is scalarised into its numbers, so branches and loops carry and merge them like any scalar.
/// </summary>
internal readonly struct VarKey : System.IEquatable<VarKey>
{
    public VarKey(ISymbol symbol, string member)
    {
        Symbol = symbol;
        Member = member;
    }

    public ISymbol Symbol { get; }

    /// <summary>The path of the number inside a struct variable, or empty for a scalar variable.</summary>
    public string Member { get; }

    public static VarKey Of(ISymbol symbol) => new(symbol, "");

    public bool Equals(VarKey other) => SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol) && Member == other.Member;

    public override bool Equals(object? obj) => obj is VarKey other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) * 31 + Member.GetHashCode();
}

/// <summary>
/// The lowering environment: the current SSA value of every scalar variable (and of every number of every struct
/// variable) and every element of every local array. A branch lowers with a clone; merging the two clones makes
/// the phis.
/// </summary>
internal sealed class Env
{
    public VarMap<int> Scalars { get; } = new();

    /// <summary>Forgets a variable, and every number of it when it is a struct.</summary>
    public void Forget(ISymbol symbol)
    {
        foreach (VarKey key in new List<VarKey>(Scalars.Keys))
        {
            if (SymbolEqualityComparer.Default.Equals(key.Symbol, symbol)) Scalars.Remove(key);
        }
        Arrays.Remove(symbol);
    }
    public VarMap<ArrayBinding> Arrays { get; } = new();

    /// <summary>The value returned, once a return statement has been lowered on this path.</summary>
    public int? Return { get; set; }

    public Env Clone()
    {
        var copy = new Env { Return = Return };
        foreach (KeyValuePair<VarKey, int> kv in Scalars) copy.Scalars[kv.Key] = kv.Value;
        // Names of one array (`var b = a;`) must stay names of one array in the copy: clone each array once.
        var clones = new Dictionary<LocalArray, ArrayBinding>(ReferenceComparer<LocalArray>.Instance);
        foreach (KeyValuePair<VarKey, ArrayBinding> kv in Arrays)
        {
            if (kv.Value.Local is not { } local)
            {
                copy.Arrays[kv.Key] = kv.Value;
                continue;
            }
            if (!clones.TryGetValue(local, out ArrayBinding? clone)) clones[local] = clone = ArrayBinding.ForLocal(local.Clone());
            copy.Arrays[kv.Key] = clone;
        }
        return copy;
    }
}

/// <summary>
/// Variables of an <see cref="Env"/> (numbers, or arrays): indexed by a symbol (a local, parameter or field of this)
/// or a <see cref="VarKey"/> (a number of a struct variable, a field of a model object).
/// </summary>
internal sealed class VarMap<T> : IEnumerable<KeyValuePair<VarKey, T>>
{
    private readonly Dictionary<VarKey, T> _values = new();

    public T this[ISymbol symbol]
    {
        get => _values[VarKey.Of(symbol)];
        set => _values[VarKey.Of(symbol)] = value;
    }

    public T this[VarKey key]
    {
        get => _values[key];
        set => _values[key] = value;
    }

    public bool TryGetValue(ISymbol symbol, out T value) => _values.TryGetValue(VarKey.Of(symbol), out value!);

    public bool TryGetValue(VarKey key, out T value) => _values.TryGetValue(key, out value!);

    public bool ContainsKey(ISymbol symbol) => _values.ContainsKey(VarKey.Of(symbol));

    public bool ContainsKey(VarKey key) => _values.ContainsKey(key);

    public bool Remove(ISymbol symbol) => _values.Remove(VarKey.Of(symbol));

    public bool Remove(VarKey key) => _values.Remove(key);

    public Dictionary<VarKey, T>.KeyCollection Keys => _values.Keys;

    public Dictionary<VarKey, T>.Enumerator GetEnumerator() => _values.GetEnumerator();

    IEnumerator<KeyValuePair<VarKey, T>> IEnumerable<KeyValuePair<VarKey, T>>.GetEnumerator() => _values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();
}

/// <summary>The statements still to lower on the current path, as an immutable list so branches can share a tail.</summary>
internal sealed class Work
{
    public Work(IOperation head, Work? tail)
    {
        Head = head;
        Tail = tail;
    }

    private Work()
    {
    }

    /// <summary>The end of a void method's body (a vector output's): reaching it returns, as <c>return;</c> does.</summary>
    public static readonly Work EndOfVoidMethod = new();

    public bool IsEndOfVoidMethod => Head is null;

    /// <summary>The statement to lower next; null only for <see cref="EndOfVoidMethod"/>.</summary>
    public IOperation? Head { get; }
    public Work? Tail { get; }

    public static Work? Prepend(IReadOnlyList<IOperation> items, Work? tail)
    {
        for (int i = items.Count - 1; i >= 0; i--) tail = new Work(items[i], tail);
        return tail;
    }
}
