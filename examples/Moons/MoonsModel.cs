namespace Moons;

/// <summary>
/// The parameters of <c>MLP(2, [16, 16, 1])</c>, one array per layer as <see cref="MoonsNet.Loss"/> takes them:
/// <c>W1[j, k]</c> is the weight of input k in hidden unit j; the output layer's single neuron is <c>W3</c>, <c>B3</c>.
/// </summary>
public sealed class MoonsModel
{
    public MoonsModel(int inputs, int hidden1, int hidden2)
    {
        W1 = new double[hidden1, inputs];
        B1 = new double[hidden1];
        W2 = new double[hidden2, hidden1];
        B2 = new double[hidden2];
        W3 = new double[hidden2];
    }

    public double[,] W1 { get; }
    public double[] B1 { get; }
    public double[,] W2 { get; }
    public double[] B2 { get; }
    public double[] W3 { get; }
    public double B3 { get; set; }

    public int Inputs => W1.GetLength(1);
    public int Hidden1 => B1.Length;
    public int Hidden2 => B2.Length;
    public int ParameterCount => W1.Length + B1.Length + W2.Length + B2.Length + W3.Length + 1;

    /// <summary>
    /// micrograd's initialisation, in micrograd's order (layer by layer, neuron by neuron, its weights): every weight
    /// <c>random.uniform(-1, 1)</c>, every bias 0 (micrograd's <c>Neuron</c> sets <c>self.b = Value(0)</c>). With
    /// <paramref name="uniformBiases"/> the biases are drawn uniform(-1, 1) too, right after their neuron's weights.
    /// </summary>
    public static MoonsModel Micrograd(ulong seed, int inputs = 2, int hidden1 = 16, int hidden2 = 16, bool uniformBiases = false)
    {
        var m = new MoonsModel(inputs, hidden1, hidden2);
        var rng = new SplitMix64(seed);
        for (int j = 0; j < hidden1; j++)
        {
            for (int k = 0; k < inputs; k++) m.W1[j, k] = rng.Uniform(-1, 1);
            if (uniformBiases) m.B1[j] = rng.Uniform(-1, 1);
        }
        for (int j = 0; j < hidden2; j++)
        {
            for (int k = 0; k < hidden1; k++) m.W2[j, k] = rng.Uniform(-1, 1);
            if (uniformBiases) m.B2[j] = rng.Uniform(-1, 1);
        }
        for (int k = 0; k < hidden2; k++) m.W3[k] = rng.Uniform(-1, 1);
        if (uniformBiases) m.B3 = rng.Uniform(-1, 1);
        return m;
    }

    public MoonsModel Clone()
    {
        var c = new MoonsModel(Inputs, Hidden1, Hidden2) { B3 = B3 };
        Array.Copy(W1, c.W1, W1.Length);
        Array.Copy(B1, c.B1, B1.Length);
        Array.Copy(W2, c.W2, W2.Length);
        Array.Copy(B2, c.B2, B2.Length);
        Array.Copy(W3, c.W3, W3.Length);
        return c;
    }

    /// <summary>Every parameter in micrograd's order (per neuron: its weights, then its bias).</summary>
    public double[] Flatten()
    {
        var v = new double[ParameterCount];
        int i = 0;
        for (int j = 0; j < Hidden1; j++)
        {
            for (int k = 0; k < Inputs; k++) v[i++] = W1[j, k];
            v[i++] = B1[j];
        }
        for (int j = 0; j < Hidden2; j++)
        {
            for (int k = 0; k < Hidden1; k++) v[i++] = W2[j, k];
            v[i++] = B2[j];
        }
        for (int k = 0; k < Hidden2; k++) v[i++] = W3[k];
        v[i] = B3;
        return v;
    }

    /// <summary>The inverse of <see cref="Flatten"/>.</summary>
    public void Load(ReadOnlySpan<double> v)
    {
        if (v.Length != ParameterCount) throw new ArgumentException($"expected {ParameterCount} numbers, got {v.Length}", nameof(v));
        int i = 0;
        for (int j = 0; j < Hidden1; j++)
        {
            for (int k = 0; k < Inputs; k++) W1[j, k] = v[i++];
            B1[j] = v[i++];
        }
        for (int j = 0; j < Hidden2; j++)
        {
            for (int k = 0; k < Hidden1; k++) W2[j, k] = v[i++];
            B2[j] = v[i++];
        }
        for (int k = 0; k < Hidden2; k++) W3[k] = v[i++];
        B3 = v[i];
    }

    /// <summary>p -= rate · g, over every parameter (micrograd's <c>p.data -= learning_rate * p.grad</c>).</summary>
    public void Step(MoonsModel gradient, double rate)
    {
        Sub(W1, gradient.W1, rate);
        Sub(B1, gradient.B1, rate);
        Sub(W2, gradient.W2, rate);
        Sub(B2, gradient.B2, rate);
        Sub(W3, gradient.W3, rate);
        B3 -= rate * gradient.B3;
    }

    private static void Sub(double[] p, double[] g, double rate)
    {
        for (int i = 0; i < p.Length; i++) p[i] -= rate * g[i];
    }

    private static void Sub(double[,] p, double[,] g, double rate)
    {
        for (int i = 0; i < p.GetLength(0); i++)
        {
            for (int j = 0; j < p.GetLength(1); j++) p[i, j] -= rate * g[i, j];
        }
    }

    /// <summary>The network's score for one point, in plain doubles, summed as <see cref="MoonsNet.Loss"/> sums it.</summary>
    public double Score(double x0, double x1)
    {
        Span<double> h1 = stackalloc double[Hidden1];
        Span<double> h2 = stackalloc double[Hidden2];
        for (int j = 0; j < Hidden1; j++)
        {
            double z = B1[j];
            z += W1[j, 0] * x0;
            z += W1[j, 1] * x1;
            h1[j] = Math.Max(0.0, z);
        }
        for (int j = 0; j < Hidden2; j++)
        {
            double z = B2[j];
            for (int k = 0; k < Hidden1; k++) z += W2[j, k] * h1[k];
            h2[j] = Math.Max(0.0, z);
        }
        double score = B3;
        for (int k = 0; k < Hidden2; k++) score += W3[k] * h2[k];
        return score;
    }

    /// <summary>micrograd's accuracy: the fraction of samples with <c>(y &gt; 0) == (score &gt; 0)</c>.</summary>
    public double Accuracy(double[,] xs, double[] ys)
    {
        if (Inputs != 2) throw new InvalidOperationException("Score takes two inputs");
        int right = 0;
        for (int s = 0; s < ys.Length; s++)
        {
            if ((ys[s] > 0) == (Score(xs[s, 0], xs[s, 1]) > 0)) right++;
        }
        return (double)right / ys.Length;
    }
}
