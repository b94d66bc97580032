using SymGrad.Nn;

namespace SymGrad.Tests.Engine;

public class NnTests
{
    [Fact]
    public void Mlp_has_micrograds_parameter_count_and_shape()
    {
        var net = new Mlp(3, [4, 4, 1], seed: 1);
        // (3+1)*4 + (4+1)*4 + (4+1)*1, as micrograd's MLP(3, [4, 4, 1]).
        Assert.Equal(41, net.Parameters().Count);
        Assert.Single(net.Forward(1.0, 2.0, 3.0));
        Assert.True(net.Layers[0].Neurons[0].Nonlinear);
        Assert.False(net.Layers[2].Neurons[0].Nonlinear);
    }

    [Fact]
    public void Weights_are_uniform_in_minus_one_one_and_biases_zero_from_the_seed()
    {
        var net = new Mlp(2, [3], seed: 7);
        var random = new Random(7);
        foreach (Neuron n in net.Layers[0].Neurons)
        {
            foreach (Value w in n.Weights) Assert.Equal(random.NextDouble() * 2 - 1, w.Data);
            Assert.Equal(0.0, n.Bias.Data);
        }
    }

    [Fact]
    public void Same_seed_gives_same_network_and_another_seed_does_not()
    {
        double[] a = new Mlp(3, [4, 1], 5).Parameters().Select(p => p.Data).ToArray();
        double[] b = new Mlp(3, [4, 1], 5).Parameters().Select(p => p.Data).ToArray();
        double[] c = new Mlp(3, [4, 1], 6).Parameters().Select(p => p.Data).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Neuron_output_is_relu_of_the_affine_sum()
    {
        var net = new Mlp(2, [1, 1], seed: 3);
        Neuron hidden = net.Layers[0].Neurons[0];
        Neuron output = net.Layers[1].Neurons[0];
        double h = Math.Max(0.0, hidden.Weights[0].Data * 0.5 + hidden.Weights[1].Data * -1.5);
        double expected = output.Weights[0].Data * h;
        Assert.Equal(expected, net.Forward(0.5, -1.5)[0].Data, 1e-15);
    }

    [Fact]
    public void ZeroGrad_clears_every_parameter()
    {
        var net = new Mlp(3, [4, 1], seed: 2);
        net.Forward(1.0, -2.0, 0.5)[0].Backward();
        Assert.Contains(net.Parameters(), p => p.Grad != 0.0);
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Equal(0.0, p.Grad));
    }

    [Fact]
    public void Wrong_input_count_is_rejected_by_name()
    {
        var net = new Mlp(3, [1], seed: 0);
        var e = Assert.Throws<ArgumentException>(() => net.Forward(1.0, 2.0));
        Assert.Equal("x", e.ParamName);
    }
}
