namespace SymGrad.Tests;

public class SmokeTests
{
    [Fact]
    public void Relu_clamps_negatives() => Assert.Equal(0.0, SymMath.Relu(-2.0));
}
