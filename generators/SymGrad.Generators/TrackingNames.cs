namespace SymGrad.Generators;

/// <summary>Names of the pipeline steps, so tests can assert that each is cached on an unchanged compilation.</summary>
internal static class TrackingNames
{
    /// <summary>A <c>[Differentiable]</c> method parsed and lowered into IR (or its diagnostics).</summary>
    public const string Lowered = nameof(Lowered);

    /// <summary>The gradient and tape twins of one method, as C# members.</summary>
    public const string Emitted = nameof(Emitted);

    /// <summary>All methods' members, grouped into one source file per containing type.</summary>
    public const string Files = nameof(Files);
}

/// <summary>Metadata names the generator looks for.</summary>
internal static class TypeNames
{
    public const string DifferentiableAttribute = "SymGrad.DifferentiableAttribute";
    public const string NoDerivativeAttribute = "SymGrad.NoDerivativeAttribute";
    public const string OutputAttribute = "SymGrad.OutputAttribute";
    public const string DerivativeOfAttribute = "SymGrad.DerivativeOfAttribute";
    public const string SymMath = "SymGrad.SymMath";
    public const string Value = "global::SymGrad.Value";
    public const string ValueMath = "global::SymGrad.ValueMath";
}
