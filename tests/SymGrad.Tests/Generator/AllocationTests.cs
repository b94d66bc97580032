using SeedNotebook.Network;

namespace SymGrad.Tests.Generator;

/// <summary>The generated gradient is straight-line code on the caller's buffers: it allocates nothing.</summary>
public class AllocationTests
{
    [Fact]
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

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            sum += SeedNet.LossGradient(w1, b1, w2, b2, wOut, SeedNetGradientTests.BOut, xs, targets, dW1, dB1, dW2, dB2, dWOut, ref dBOut, dXs);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11_000 * 3.165349361996877, sum, 1e-6); // the calls did run
    }
}
