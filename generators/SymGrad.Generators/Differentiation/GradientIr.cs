using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>One element of the gradient: the adjoint of parameter <see cref="Param"/> at (<see cref="I"/>, <see cref="J"/>).</summary>
internal sealed record AdjointOutput(int Param, int I, int J, int Value);

/// <summary>
/// A method and its gradient as one IR program: <see cref="Body"/> is the forward sweep followed by the backward
/// sweep; it computes <see cref="Return"/> and the adjoint of every parameter element the method reads.
/// </summary>
internal sealed record GradientIr(MethodIr Primal, Block Body, int Return, EquatableArray<AdjointOutput> Outputs);
