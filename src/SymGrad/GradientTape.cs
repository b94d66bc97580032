using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// <summary>The thread's tapes that no running gradient holds (a short list: one, two when gradients nest).</summary>
    [ThreadStatic] private static GradientTape? t_free;

    private GradientTape? _nextFree;

    private double[] _data = new double[256];
    private int _count;
    private double[] _arena = new double[256];
    private int _arenaTop;

    private GradientTape()
    {
    }

    /// <summary>
    /// A tape for the calling gradient alone, empty: taken off the thread's free list (made on the thread's first
    /// call), given back with <see cref="Return"/> when the gradient returns. A gradient may call user code (a
    /// <c>[DerivativeOf]</c> rule, a call kept for its side effect) that runs another gradient on the same thread: that
    /// one takes another tape, so neither sees the other's values. A gradient that throws never gives its tape back;
    /// the thread's next call makes a new one, and the old one is garbage.
    /// </summary>
    public static GradientTape Rent()
    {
        GradientTape? tape = t_free;
        if (tape is null) return new GradientTape();
        t_free = tape._nextFree;
        tape._nextFree = null;
        tape._count = 0;
        tape._arenaTop = 0;
        return tape;
    }

    /// <summary>Gives the tape <see cref="Rent"/> handed out back to the thread, for its next gradient (and keeps its memory).</summary>
    public static void Return(GradientTape tape)
    {
        tape._nextFree = t_free;
        t_free = tape;
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

    /// <summary>
    /// Room for the next <paramref name="count"/> values on top of the tape, in push order: filling it is
    /// <paramref name="count"/> pushes with one capacity check. The span is valid until the next push or reservation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> Reserve(int count)
    {
        int start = _count;
        if ((uint)(start + count) > (uint)_data.Length) Grow(start + count);
        _count = start + count;
        return new Span<double>(_data, start, count);
    }

    /// <summary>
    /// The top <paramref name="count"/> values, removed: slot <c>count - 1</c> is the value pushed last, so reading
    /// the slots downwards is <paramref name="count"/> pops. Valid until the next push or reservation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<double> Take(int count)
    {
        int start = _count - count;
        var values = new ReadOnlySpan<double>(_data, start, count); // throws if more are taken than were pushed: a generator bug, never silent
        _count = start;
        return values;
    }

    /// <summary>
    /// A zeroed block of <paramref name="length"/> doubles for a local array, valid until <see cref="Release"/> or
    /// <see cref="Return"/>. The arena grows geometrically; blocks handed out before keep their memory.
    /// </summary>
    public Span<double> Allocate(int length)
    {
        if (length < 0) throw new OverflowException("An array of negative length: " + length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_arena.Length - _arenaTop < length)
        {
            // A new, larger arena: blocks handed out from the old one stay valid (they hold it), new ones come from here.
            _arena = new double[Math.Max(checked(2 * _arena.Length), checked(_arenaTop + length))];
        }
        Span<double> block = _arena.AsSpan(_arenaTop, length);
        _arenaTop += length;
        Zero(block);
        return block;
    }

    /// <summary>
    /// A zeroed block of <paramref name="length"/> floats for a local array of a <c>float</c> method: carved from the
    /// same arena as <see cref="Allocate"/> (two floats per double), so <see cref="Mark"/> and <see cref="Release"/>
    /// take it back too.
    /// </summary>
    public Span<float> AllocateSingle(int length)
    {
        if (length < 0) throw new OverflowException("An array of negative length: " + length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return MemoryMarshal.Cast<double, float>(Allocate((int)(((long)length + 1) / 2))).Slice(0, length);
    }

    /// <summary>
    /// Sets every element to +0. Not <see cref="Span{T}.Clear"/>: below a few hundred elements that returns with the
    /// upper halves of the vector registers dirty (measured on .NET 10, x64 with AVX-512), and every
    /// <see cref="Math.Exp"/> or <see cref="Math.Log(double)"/> the gradient then calls runs about 30 times slower
    /// (170 ns instead of 5: the C library's legacy-SSE code pays the AVX/SSE transition), until some method's
    /// <c>vzeroupper</c> cleans the state. <see cref="Span{T}.Fill"/> leaves it clean at every length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(Span<double> memory) => memory.Fill(0.0);

    /// <summary>Sets every element to +0, as <see cref="Zero(Span{double})"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(Span<float> memory) => memory.Fill(0f);

    /// <summary>Sets every element of a two-dimensional array to +0, as <see cref="Zero(Span{double})"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(float[,] array) => Flat(array).Fill(0f);

    /// <summary>Sets every element of a two-dimensional array to +0, as <see cref="Zero(Span{double})"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(double[,] array) => Flat(array).Fill(0.0);

    /// <summary>
    /// Sets the tape back to <paramref name="count"/> values, as it stood after a forward sweep: a Jacobian runs one
    /// forward sweep, then one backward sweep per row, each popping the same values (the pops leave them in place).
    /// </summary>
    public void Rewind(int count)
    {
        if ((uint)count > (uint)_data.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _count = count;
    }

    /// <summary>Where the arena stands: <see cref="Release"/> with it takes back every block allocated after.</summary>
    public int Mark => _arenaTop;

    /// <summary>Takes back the blocks allocated since <paramref name="mark"/> (the arrays of one loop iteration).</summary>
    public void Release(int mark) => _arenaTop = mark;

    /// <summary>The elements of a two-dimensional array as one span, row after row (element [i, j] at i * columns + j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<double> Flat(double[,] array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>The elements of a two-dimensional float array as one span, row after row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<float> Flat(float[,] array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    /// <summary>Row <paramref name="row"/> of a two-dimensional float array seen through <see cref="Flat(float[,])"/> (see the double overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<float> Row(Span<float> flat, int row, int rows, int columns) =>
        (uint)row < (uint)rows ? flat.Slice(row * columns, columns) : default;

    /// <summary>
    /// Row <paramref name="row"/> of a two-dimensional array seen through <see cref="Flat(double[,])"/>; empty when there is no
    /// such row, so that the first element read through it throws <see cref="IndexOutOfRangeException"/> where the
    /// array access would have (and a loop that reads nothing does not throw).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<double> Row(Span<double> flat, int row, int rows, int columns) =>
        (uint)row < (uint)rows ? flat.Slice(row * columns, columns) : default;

    /// <summary><paramref name="index"/>, checked against <paramref name="length"/> as an array access checks it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Within(int index, int length) => (uint)index < (uint)length ? index : throw new IndexOutOfRangeException();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref _data, checked(_data.Length * 2));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed) => Array.Resize(ref _data, Math.Max(checked(_data.Length * 2), needed));
}
