using SeedNotebook.Pictures;

namespace SeedNotebook.Network;

/// <summary>
/// The notebook's loss and its gradient from the code SymGrad generated (<see cref="SeedNet.LossGradient"/>), over
/// the 41-number parameter vector the pictures and the training use. Buffers are made once: a step allocates nothing.
/// </summary>
public sealed class GeneratedLoss
{
    private readonly SeedParameters _p = new();
    private readonly SeedParameters _d = new();
    private readonly double[,] _xs = SeedParameters.Inputs();
    private readonly double[,] _dXs = new double[SeedNet.Samples, SeedNet.In];
    private readonly double[] _targets = Sections.SeedData.Targets();

    /// <summary>A <see cref="GradientFn"/> over the layout of <see cref="Net3441"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> parameters, Span<double> grad)
    {
        if (parameters.Length != Net3441.ParameterCount) throw new ArgumentException($"expected {Net3441.ParameterCount} parameters", nameof(parameters));
        if (grad.Length != parameters.Length) throw new ArgumentException("grad must have the length of parameters", nameof(grad));
        Unpack(parameters, _p);
        double bOutGrad = 0;
        double loss = SeedNet.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _xs, _targets,
            _d.W1, _d.B1, _d.W2, _d.B2, _d.WOut, ref bOutGrad, _dXs);
        _d.BOut = bOutGrad;
        Pack(_d, grad);
        return loss;
    }

    private static void Unpack(ReadOnlySpan<double> v, SeedParameters p)
    {
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++) p.W1[i, j] = v[Net3441.W1Offset + 3 * i + j];
            for (int j = 0; j < 4; j++) p.W2[i, j] = v[Net3441.W2Offset + 4 * i + j];
            p.B1[i] = v[Net3441.B1Offset + i];
            p.B2[i] = v[Net3441.B2Offset + i];
            p.WOut[i] = v[Net3441.WOutOffset + i];
        }
        p.BOut = v[Net3441.BOutOffset];
    }

    private static void Pack(SeedParameters p, Span<double> v)
    {
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++) v[Net3441.W1Offset + 3 * i + j] = p.W1[i, j];
            for (int j = 0; j < 4; j++) v[Net3441.W2Offset + 4 * i + j] = p.W2[i, j];
            v[Net3441.B1Offset + i] = p.B1[i];
            v[Net3441.B2Offset + i] = p.B2[i];
            v[Net3441.WOutOffset + i] = p.WOut[i];
        }
        v[Net3441.BOutOffset] = p.BOut;
    }
}
