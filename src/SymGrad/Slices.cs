using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace SymGrad;

/// <summary>
/// The checks of a slice (<c>v[a..b]</c>, <c>v.Slice(a, n)</c>) that generated code reads through offsets instead
/// of a span: each throws what the method's own slice or element access throws, where it throws it. Generated code
/// uses them; user code has no reason to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Slices
{
    /// <summary>The start of <c>Slice(start, count)</c> of something of <paramref name="length"/> elements, checked as <see cref="Span{T}.Slice(int, int)"/> checks it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Start(int length, int start, int count)
    {
        if ((ulong)(uint)start + (uint)count > (uint)length) throw new ArgumentOutOfRangeException(nameof(start));
        return start;
    }

    /// <summary>The start of the range <c>[start..end]</c> of something of <paramref name="length"/> elements, checked as <see cref="Range.GetOffsetAndLength"/> checks it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Range(int length, int start, int end)
    {
        if ((uint)end > (uint)length || (uint)start > (uint)end) throw new ArgumentOutOfRangeException(nameof(length));
        return start;
    }

    /// <summary>Where element <paramref name="index"/> of a slice of <paramref name="count"/> elements from <paramref name="start"/> is: out of the slice, the exception its indexer throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Element(int index, int count, int start)
    {
        if ((uint)index >= (uint)count) ThrowIndex();
        return start + index;
    }

    private static void ThrowIndex() => throw new IndexOutOfRangeException();
}
