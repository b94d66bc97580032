namespace FashionMnist;

/// <summary>
/// Adam (Kingma and Ba, 2015) with bias correction, on the model's four arrays:
/// m ← β₁m + (1-β₁)g, v ← β₂v + (1-β₂)g², p ← p - lr · m̂ / (√v̂ + ε), m̂ = m / (1-β₁ᵗ), v̂ = v / (1-β₂ᵗ).
/// </summary>
public sealed class Adam(FashionModel shape, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly FashionModel _m = new(shape.InputCount, shape.HiddenCount, shape.ClassCount);
    private readonly FashionModel _v = new(shape.InputCount, shape.HiddenCount, shape.ClassCount);
    private int _t;

    public double LearningRate { get; set; } = learningRate;

    public void Step(FashionModel model, FashionModel gradient)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradient);
        _t++;
        double c1 = 1 - Math.Pow(beta1, _t), c2 = 1 - Math.Pow(beta2, _t);
        for (int part = 0; part < FashionModel.Parts; part++)
        {
            Span<double> p = model.Part(part), g = gradient.Part(part), m = _m.Part(part), v = _v.Part(part);
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                p[i] -= LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + epsilon);
            }
        }
    }
}
