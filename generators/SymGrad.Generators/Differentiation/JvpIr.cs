using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>
/// A method and its directional derivative as one IR program: <see cref="Body"/> is the method's own body with the
/// tangent of each active value computed right after it; it returns <see cref="Return"/> and the tangent of the
/// result, <see cref="Derivative"/>. The tangents are parameters too (<see cref="Tangents"/>, one per differentiable
/// parameter, indexed after the method's own in <see cref="ParamInstr"/> and <see cref="LoadInstr"/>). Applied to a
/// gradient program (forward over reverse), <see cref="OutputTangents"/> holds the tangent of each gradient output:
/// the Hessian-vector product.
/// </summary>
internal sealed record JvpIr(MethodIr Primal, EquatableArray<ParamSpec> Tangents, EquatableArray<int> TangentOf, Block Body, int Return, int Derivative,
                             EquatableArray<int> OutputTangents)
{
    /// <summary>The method's parameters followed by the tangents: what the program's parameter indices refer to.</summary>
    public EquatableArray<ParamSpec> AllParams => System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Concat(Primal.Params, Tangents)).ToEquatableArray();
}
