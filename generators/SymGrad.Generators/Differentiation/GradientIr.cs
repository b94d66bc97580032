using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>A final write of the gradient: the adjoint of parameter <see cref="Param"/> at the constant (<see cref="I"/>, <see cref="J"/>), -1 where absent.</summary>
internal sealed record AdjointOutput(int Param, int I, int J, int Value);

/// <summary>
/// A method and its gradient as one IR program in two sweeps kept apart: <see cref="Forward"/> computes
/// <see cref="Return"/> (the method's own body), then <see cref="Backward"/> computes the adjoints, reading forward
/// values freely. The adjoint of each parameter in <see cref="Accumulated"/> is memory, zeroed before the sweeps,
/// that the backward sweep's <see cref="AddToAdjoint"/> effects add to; the others are written once after the sweeps,
/// from <see cref="Outputs"/> (every element in the extent the method reads; the rest of the adjoint is zeroed).
/// </summary>
internal sealed record GradientIr(MethodIr Primal, Block Forward, Block Backward, int Return,
                                  EquatableArray<AdjointOutput> Outputs, EquatableArray<int> Accumulated);
