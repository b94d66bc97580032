namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>A benchmark too slow for <c>--quick</c> (it runs only in full mode).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FullOnlyAttribute : Attribute
{
}
