using Microsoft.CodeAnalysis;

namespace SymGrad.Generators;

/// <summary>Adds gradient and tape twins beside every <c>[Differentiable]</c> method.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
