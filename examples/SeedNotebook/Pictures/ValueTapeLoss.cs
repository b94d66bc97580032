using SymGrad;

namespace SeedNotebook.Pictures;

/// <summary>
/// The notebook's section-1 loss, sum over the four samples of (y_pred - y_true)², with its gradient from the
/// <see cref="Value"/> tape — the reference that the generated gradient will later replace.
/// </summary>
public static class ValueTapeLoss
{
    public static readonly GradientFn Gradient = Evaluate;

    public static double Evaluate(ReadOnlySpan<double> parameters, Span<double> grad)
    {
        if (grad.Length != parameters.Length)
            throw new ArgumentException($"grad has {grad.Length} slots for {parameters.Length} parameters", nameof(grad));
        Value[] p = BuildLeaves(parameters);
        Value loss = Loss(p);
        loss.Backward();
        for (int i = 0; i < p.Length; i++) grad[i] = p[i].Grad;
        return loss.Data;
    }

    /// <summary>One leaf per parameter, labelled with its name in the notebook (W1[0][2], b_out, ...).</summary>
    public static Value[] BuildLeaves(ReadOnlySpan<double> parameters)
    {
        if (parameters.Length != Net3441.ParameterCount)
            throw new ArgumentException($"expected {Net3441.ParameterCount} parameters, got {parameters.Length}", nameof(parameters));
        var p = new Value[parameters.Length];
        for (int i = 0; i < p.Length; i++) p[i] = new Value(parameters[i], ParameterName(i));
        return p;
    }

    /// <summary>The loss graph over the leaves <paramref name="p"/> (layout of <see cref="Net3441"/>).</summary>
    public static Value Loss(IReadOnlyList<Value> p)
    {
        Value loss = 0.0;
        for (int s = 0; s < Net3441.SampleCount; s++)
        {
            Value diff = Forward(p, Net3441.Input(s)) - Net3441.Target(s);
            loss += diff * diff; // as the notebook writes it, not Pow(2)
        }
        return loss;
    }

    /// <summary>The notebook's forward(): relu layers 1 and 2, linear output.</summary>
    public static Value Forward(IReadOnlyList<Value> p, double[] x)
    {
        var h1 = new Value[4];
        var h2 = new Value[4];
        for (int i = 0; i < 4; i++)
        {
            Value z = p[Net3441.B1Offset + i];
            for (int j = 0; j < 3; j++) z += p[Net3441.W1Offset + 3 * i + j] * x[j];
            h1[i] = z.Relu();
        }
        for (int i = 0; i < 4; i++)
        {
            Value z = p[Net3441.B2Offset + i];
            for (int j = 0; j < 4; j++) z += p[Net3441.W2Offset + 4 * i + j] * h1[j];
            h2[i] = z.Relu();
        }
        Value y = p[Net3441.BOutOffset];
        for (int j = 0; j < 4; j++) y += p[Net3441.WOutOffset + j] * h2[j];
        return y;
    }

    public static string ParameterName(int index) => index switch
    {
        < Net3441.B1Offset => $"W1[{index / 3}][{index % 3}]",
        < Net3441.W2Offset => $"b1[{index - Net3441.B1Offset}]",
        < Net3441.B2Offset => $"W2[{(index - Net3441.W2Offset) / 4}][{(index - Net3441.W2Offset) % 4}]",
        < Net3441.WOutOffset => $"b2[{index - Net3441.B2Offset}]",
        < Net3441.BOutOffset => $"W_out[{index - Net3441.WOutOffset}]",
        Net3441.BOutOffset => "b_out",
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "the net has 41 parameters"),
    };
}
