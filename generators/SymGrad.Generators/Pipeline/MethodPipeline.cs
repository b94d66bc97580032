using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SymGrad.Generators.Model;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Emitting;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Optimization;

namespace SymGrad.Generators.Pipeline;

/// <summary>
/// The one place where the phases meet, for one lowered method: activity analysis, reverse-mode differentiation
/// and forward mode (as the method asks),
/// optimisation (invariant loads out of loops before the gradient is taken; adjoint writes, then dead code after), then emission of the gradient and the tape twin. Each phase only does its own
/// work: the differentiator does not optimise, the emitter does not analyse or transform.
/// </summary>
internal static class MethodPipeline
{
    public static EmittedMethod Run(MethodSpec spec, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            MethodIr ir = spec.Ir;
            HashSet<int> active = Activity.Of(ir);
            // A Jacobian is made of VJPs (a row each) or JVPs (a column each): it needs both programs.
            bool jacobian = spec.HasVectorOutput && spec.Modes.HasFlag(DerivativeModes.Jacobian);
            bool reverse = spec.Modes.HasFlag(DerivativeModes.Reverse) || jacobian;
            GradientIr? gradient = reverse || spec.Modes.HasFlag(DerivativeModes.HessianVector) || spec.Modes.HasFlag(DerivativeModes.Hessian)
                ? DeadCodeElimination.Run(AdjointWrites.Run(ReverseMode.Differentiate(InvariantLoads.Run(ir), active)))
                : null;
            JvpIr? hvp = null;
            if (gradient is not null && (spec.Modes.HasFlag(DerivativeModes.HessianVector) || spec.Modes.HasFlag(DerivativeModes.Hessian)))
            {
                // Forward over reverse: the gradient is itself a program, and its outputs' tangents are H·t.
                MethodIr program = ForwardMode.GradientProgram(gradient);
                JvpIr unoptimised = ForwardMode.Differentiate(program, Activity.Of(program), gradient.Outputs.Select(o => o.Value).ToList());
                var roots = gradient.Outputs.Select(o => o.Value).Concat(unoptimised.OutputTangents).Append(unoptimised.Return);
                hvp = unoptimised with { Body = DeadCodeElimination.Run(unoptimised.Body, roots) };
            }
            ct.ThrowIfCancellationRequested();
            JvpIr? jvp = null;
            if (spec.Modes.HasFlag(DerivativeModes.Forward) || jacobian)
            {
                JvpIr unoptimised = ForwardMode.Differentiate(ir, active);
                jvp = unoptimised with { Body = DeadCodeElimination.Run(unoptimised.Body, new[] { unoptimised.Return, unoptimised.Derivative }) };
            }
            ct.ThrowIfCancellationRequested();
            Block tape = DeadCodeElimination.Run(ir.Body, new[] { ir.Return });
            string members = MethodEmitter.Emit(spec, reverse ? gradient : null, jvp, hvp is null ? null : (gradient!, hvp), tape, active);
            return new EmittedMethod(Emitter.HintName(spec), spec.Shell, members, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The generator never throws: an exception would silently drop every generated file (CS8785).
            string what = e.GetType().Name + ": " + e.Message;
            var error = spec.Where is { } where
                ? DiagnosticInfo.At(DiagnosticDescriptors.InternalError, where, spec.Name, what)
                : DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, spec.Name, what);
            return new EmittedMethod(Emitter.HintName(spec), spec.Shell, "", error);
        }
    }
}
