namespace Moons;

/// <summary>Two interleaving half circles, built as scikit-learn's <c>sklearn.datasets.make_moons</c> builds them.</summary>
public sealed class MoonsData
{
    private MoonsData(double[,] xs, double[] ys, int[] moon)
    {
        Xs = xs;
        Ys = ys;
        Moon = moon;
    }

    /// <summary>One row per sample: (x, y).</summary>
    public double[,] Xs { get; }

    /// <summary>The labels as micrograd uses them, <c>y*2 - 1</c>: -1 for the outer moon, +1 for the inner one.</summary>
    public double[] Ys { get; }

    /// <summary>scikit-learn's label per sample: 0 for the outer moon, 1 for the inner one.</summary>
    public int[] Moon { get; }

    public int Count => Ys.Length;

    /// <summary>
    /// scikit-learn's construction: <c>n_out = n / 2</c> points on the outer half circle (cos t, sin t) and
    /// <c>n_in = n - n_out</c> on the inner one (1 - cos t, 1 - sin t - 0.5), t = linspace(0, π) for each; then the
    /// samples are shuffled (Fisher-Yates, as <c>shuffle=True</c> does) and Gaussian noise of standard deviation
    /// <paramref name="noise"/> is added to every coordinate. The random numbers come from <see cref="SplitMix64"/>
    /// seeded with <paramref name="seed"/>, so they are not numpy's: the points differ from the demo's, their
    /// distribution does not.
    /// </summary>
    public static MoonsData Make(int nSamples = 100, double noise = 0.1, ulong seed = 1337, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nSamples, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        int nOut = nSamples / 2, nIn = nSamples - nOut;
        var xs = new double[nSamples, 2];
        var moon = new int[nSamples];
        for (int i = 0; i < nOut; i++)
        {
            double t = Linspace(i, nOut);
            xs[i, 0] = Math.Cos(t);
            xs[i, 1] = Math.Sin(t);
            moon[i] = 0;
        }
        for (int i = 0; i < nIn; i++)
        {
            double t = Linspace(i, nIn);
            xs[nOut + i, 0] = 1.0 - Math.Cos(t);
            xs[nOut + i, 1] = 1.0 - Math.Sin(t) - 0.5;
            moon[nOut + i] = 1;
        }
        var rng = new SplitMix64(seed);
        if (shuffle)
        {
            for (int i = nSamples - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (xs[i, 0], xs[j, 0]) = (xs[j, 0], xs[i, 0]);
                (xs[i, 1], xs[j, 1]) = (xs[j, 1], xs[i, 1]);
                (moon[i], moon[j]) = (moon[j], moon[i]);
            }
        }
        if (noise > 0)
        {
            for (int i = 0; i < nSamples; i++)
            {
                xs[i, 0] += rng.Normal(noise);
                xs[i, 1] += rng.Normal(noise);
            }
        }
        double[] ys = Array.ConvertAll(moon, m => m * 2.0 - 1.0);
        return new MoonsData(xs, ys, moon);
    }

    /// <summary>numpy's <c>linspace(0, π, count)[i]</c> (both ends included; a single point is 0).</summary>
    private static double Linspace(int i, int count) => count == 1 ? 0.0 : Math.PI * i / (count - 1);
}
