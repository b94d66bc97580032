using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// A row-major span over a rectangular array, so careful hand-written loops index it without the 2-D bounds
/// checks of <c>a[i, j]</c> (what a person tuning a backward pass in C# would do).
/// </summary>
internal static class Flat
{
    public static Span<double> Of(double[,] a) => Of<double>(a);

    public static Span<T> Of<T>(T[,] a) where T : unmanaged =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(a)), a.Length);

    /// <summary>
    /// Zeroes a buffer as the generated code does (<c>GradientTape.Zero</c>): <c>Span.Clear</c> of a small buffer
    /// leaves the vector state dirty on .NET 10 with AVX-512, and every <c>Math.Exp</c> after it runs ~30x slower.
    /// The baselines avoid it too, so that no comparison is won or lost on that.
    /// </summary>
    public static void Zero(Span<double> buffer) => buffer.Fill(0.0);

    /// <summary>The same for any element type (the generic baselines: double and float).</summary>
    public static void Zero<T>(Span<T> buffer) where T : unmanaged => buffer.Fill(default);
}
