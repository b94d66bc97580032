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
            if (KeptCallProblem(spec, ir, active) is { } problem) return new EmittedMethod(Emitter.HintName(spec), spec.Shell, "", problem);
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
            return Internal(spec, e);
        }
    }

    /// <summary>
    /// A call kept as a call that a differentiated value reaches without a rule (SG0007), or with a rule but in a
    /// method that asks for second derivatives, which a rule of first derivatives cannot give (SG0018).
    /// </summary>
    private static DiagnosticInfo? KeptCallProblem(MethodSpec spec, MethodIr ir, HashSet<int> active)
    {
        bool second = spec.Modes.HasFlag(DerivativeModes.HessianVector) || spec.Modes.HasFlag(DerivativeModes.Hessian);
        foreach (CallInstr call in IrWalk.Values(ir.Body).OfType<CallInstr>().Where(c => active.Contains(c.Id)))
        {
            if (call.Derivative is null)
            {
                return call.Where is { } where
                    ? DiagnosticInfo.At(DiagnosticDescriptors.UnsupportedCall, where, call.Shown)
                    : DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedCall, null, call.Shown);
            }
            if (second && call.Where is { } at)
            {
                string rule = call.Derivative.Substring(call.Derivative.LastIndexOf('.') + 1);
                return DiagnosticInfo.At(DiagnosticDescriptors.InvalidDerivativeRule, at, rule, call.Label,
                    "gives first derivatives only, and this method asks for H·v or the Hessian: ask for Reverse and Forward only, or write the function in SymGrad's language");
            }
        }
        return null;
    }

    private static EmittedMethod Internal(MethodSpec spec, Exception e)
    {
        // The generator never throws: an exception would silently drop every generated file (CS8785).
        string what = e.GetType().Name + ": " + e.Message;
        var error = spec.Where is { } where
            ? DiagnosticInfo.At(DiagnosticDescriptors.InternalError, where, spec.Name, what)
            : DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, spec.Name, what);
        return new EmittedMethod(Emitter.HintName(spec), spec.Shell, "", error);
    }
}
