using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// A row-major span over a rectangular array, so careful hand-written loops index it without the 2-D bounds
/// checks of <c>a[i, j]</c> (what a person tuning a backward pass in C# would do).
/// </summary>
internal static class Flat
{
    public static Span<double> Of(double[,] a) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(a)), a.Length);
}
