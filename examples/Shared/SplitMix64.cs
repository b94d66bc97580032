namespace SymGrad.Examples;

/// <summary>
/// (One file, linked into each example and into the tests: internal, so each assembly has its own copy of the
/// type and no two clash.) A small seeded generator of our own, so the data and the initialisation are the same on every machine and every
/// .NET version: SplitMix64 (Steele, Lea and Flood, 2014) for 64 random bits, the top 53 of them for a uniform double
/// in [0, 1), and Box-Muller for normal deviates (both of a pair used, the second cached).
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;
    private double _spareNormal;
    private bool _hasSpare;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1): the top 53 bits over 2^53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi) (Python's <c>random.uniform(lo, hi)</c>).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform in [0, n), without modulo bias (Lemire's rejection on the multiply's low word).</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold) return (int)(ulong)(m >> 64);
        }
    }

    /// <summary>A normal deviate N(0, std²) by Box-Muller.</summary>
    public double Normal(double std = 1.0)
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return std * _spareNormal;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]: the log is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        _spareNormal = radius * Math.Sin(angle);
        _hasSpare = true;
        return std * radius * Math.Cos(angle);
    }
}
