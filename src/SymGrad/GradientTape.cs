using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// The memory a generated gradient uses for its loops: a stack of doubles, one per thread, that the forward sweep
/// pushes the values onto that the backward sweep cannot recompute, and pops them from in reverse order. It grows
/// geometrically and is kept for the thread's next call, so a gradient allocates nothing once warm, and calls on
/// several threads never share one. Generated code uses it; user code has no reason to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GradientTape
{
    [ThreadStatic] private static GradientTape? t_current;

    private double[] _data = new double[256];
    private int _count;

    private GradientTape()
    {
    }

    /// <summary>
    /// The calling thread's tape, emptied. A generated gradient calls no user code, so two gradients never run
    /// nested on one thread: each call starts from an empty tape (also after an earlier call threw halfway).
    /// </summary>
    public static GradientTape Rent()
    {
        GradientTape tape = t_current ??= new GradientTape();
        tape._count = 0;
        return tape;
    }

    /// <summary>How many values are on the tape.</summary>
    public int Count => _count;

    /// <summary>How many values the tape holds before it grows again.</summary>
    public int Capacity => _data.Length;

    /// <summary>Adds a value on top of the tape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        double[] data = _data;
        int count = _count;
        if ((uint)count >= (uint)data.Length)
        {
            Grow();
            data = _data;
        }
        data[count] = value;
        _count = count + 1;
    }

    /// <summary>The value pushed last, removed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Pop()
    {
        int count = _count - 1;
        double value = _data[count]; // throws if more pops than pushes: a generator bug, never silent
        _count = count;
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref _data, checked(_data.Length * 2));
}
