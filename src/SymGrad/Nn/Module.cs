namespace SymGrad.Nn;

/// <summary>Something with trainable parameters, as micrograd's <c>nn.Module</c>.</summary>
public abstract class Module
{
    /// <summary>Every trainable leaf, in a fixed order.</summary>
    public abstract IReadOnlyList<Value> Parameters();

    /// <summary>Sets every parameter's gradient to 0, since <see cref="Value.Backward"/> accumulates.</summary>
    public void ZeroGrad()
    {
        foreach (Value p in Parameters()) p.Grad = 0.0;
    }
}
