using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Differentiation;

/// <summary>One element of the gradient: the adjoint of parameter <see cref="Param"/> at (<see cref="I"/>, <see cref="J"/>).</summary>
internal sealed record AdjointOutput(int Param, int I, int J, int Value);

/// <summary>
/// A method and its gradient as one IR program in two sweeps kept apart: <see cref="Forward"/> computes
/// <see cref="Return"/> (the method's own body), then <see cref="Backward"/> computes the adjoint of every parameter
/// element the method reads (<see cref="Outputs"/>), reading forward values freely. Passes and the emitter treat
/// the two as consecutive blocks of one scope.
/// </summary>
internal sealed record GradientIr(MethodIr Primal, Block Forward, Block Backward, int Return, EquatableArray<AdjointOutput> Outputs);
