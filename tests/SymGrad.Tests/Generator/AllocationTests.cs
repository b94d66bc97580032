using SeedNotebook.Network;

namespace SymGrad.Tests.Generator;

/// <summary>The generated gradient is straight-line code on the caller's buffers: it allocates nothing.</summary>
public class AllocationTests
{
    // Each test is compiled optimised at once: a tiering or on-stack-replacement compile of its own loop, in the
    // middle of the measured calls, can allocate on this thread and is not the generated code's doing.
    [Fact]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Ten_thousand_seed_loss_gradients_allocate_nothing()
    {
        double[,] w1 = SeedNetGradientTests.W1, w2 = SeedNetGradientTests.W2, xs = SeedNetGradientTests.Xs;
        double[] b1 = SeedNetGradientTests.B1, b2 = SeedNetGradientTests.B2, wOut = SeedNetGradientTests.WOut, targets = SeedNetGradientTests.Targets;
        double[,] dW1 = new double[4, 3], dW2 = new double[4, 4], dXs = new double[4, 3];
        double[] dB1 = new double[4], dB2 = new double[4], dWOut = new double[4];
        double dBOut = 0, sum = 0;

        // Warm-up: JIT (and tiering) allocate the first few times a method runs.
        for (int i = 0; i < 1000; i++)
        {
            sum += SeedNet.LossGradient(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);
        }

        // The fewest bytes of three rounds: a round in which the runtime itself did something once (a tiering step)
        // is not the gradient's doing; code that allocates per call allocates in every round.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                sum += SeedNet.LossGradient(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(31_000 * 3.165349361996877, sum, 1e-5); // the calls did run
    }

    [Fact]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Ten_thousand_seed_loss_jvps_allocate_nothing_and_equal_the_gradient_along_the_tangent()
    {
        double[,] w1 = SeedNetGradientTests.W1, w2 = SeedNetGradientTests.W2, xs = SeedNetGradientTests.Xs;
        double[] b1 = SeedNetGradientTests.B1, b2 = SeedNetGradientTests.B2, wOut = SeedNetGradientTests.WOut, targets = SeedNetGradientTests.Targets;
        // A tangent with every component different: t_k = sin(k + 1), numbered in parameter order, arrays row-major.
        int k = 0;
        double Next() => Math.Sin(++k);
        double[,] tW1 = Fill(new double[4, 3], Next), tW2 = Fill(new double[4, 4], Next), tXs = Fill(new double[4, 3], Next);
        double[] tB1 = Fill(new double[4], Next), tB2 = Fill(new double[4], Next), tWOut = Fill(new double[4], Next);
        double tBOut = Next();

        double[,] dW1 = new double[4, 3], dW2 = new double[4, 4], dXs = new double[4, 3];
        double[] dB1 = new double[4], dB2 = new double[4], dWOut = new double[4];
        double dBOut = 0;
        SeedNet.LossGradient(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);
        double dot = Dot(dW1, tW1) + Dot(dB1, tB1) + Dot(dW2, tW2) + Dot(dB2, tB2) + Dot(dWOut, tWOut) + dBOut * tBOut + Dot(dXs, tXs);

        double sum = 0, derivative = 0;
        for (int i = 0; i < 1000; i++)
        {
            sum += SeedNet.LossJvp(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, tW1, tB1, tW2, tB2, tWOut, tBOut, tXs, out derivative);
        }
        // The fewest bytes of three rounds: a round in which the runtime itself did something once (a tiering step)
        // is not the gradient's doing; code that allocates per call allocates in every round.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                sum += SeedNet.LossJvp(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, tW1, tB1, tW2, tB2, tWOut, tBOut, tXs, out derivative);
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(31_000 * 3.165349361996877, sum, 1e-5);
        Assert.True(Math.Abs(derivative - dot) <= 1e-12 * Math.Max(1, Math.Abs(dot)), $"JVP {derivative:R}, gradient · tangent {dot:R}");
        Assert.NotEqual(0.0, dot); // the comparison is not 0 = 0

        // A tangent of the wrong shape is named, before any work.
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            SeedNet.LossJvp(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, tW1, new double[3], tW2, tB2, tWOut, tBOut, tXs, out _));
        Assert.Equal("tB1", e.ParamName);
    }

    private static T Fill<T>(T array, Func<double> next) where T : class
    {
        if (array is double[,] m)
        {
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++) m[i, j] = next();
            }
        }
        else if (array is double[] v)
        {
            for (int i = 0; i < v.Length; i++) v[i] = next();
        }
        return array;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double Dot(double[,] a, double[,] b) => a.Cast<double>().Zip(b.Cast<double>(), (x, y) => x * y).Sum();
}
