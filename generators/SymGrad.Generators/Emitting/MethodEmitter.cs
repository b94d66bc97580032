using System.Collections.Generic;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// The members generated for one method, and the file they belong in. Only text and the type's shell: what the
/// next step compares on every edit stays small (never the IR).
/// </summary>
internal sealed record EmittedMethod(string HintName, TypeShell Type, string Members, DiagnosticInfo? Error);

/// <summary>One generated file: the type's declarations around the members of each of its methods.</summary>
internal sealed record GeneratedFile(string HintName, TypeShell Type, EquatableArray<string> Members);

/// <summary>Writes one method's generated members: its gradient, its JVP (each as asked for), then its tape twin.</summary>
internal static class MethodEmitter
{
    /// <param name="tape">The method's body as the tape twin runs it (dead code removed).</param>
    /// <param name="active">The values that depend on a differentiable parameter: <c>Value</c>s on the tape.</param>
    /// <param name="gradient">The gradient program, when the method asks for reverse mode.</param>
    /// <param name="jvp">The JVP program, when the method asks for forward mode.</param>
    /// <param name="hvp">The gradient and its forward-over-reverse program, when the method asks for Hessian-vector products.</param>
    public static string Emit(MethodSpec spec, GradientIr? gradient, JvpIr? jvp, (GradientIr Gradient, JvpIr Program)? hvp, Block tape, HashSet<int> active)
    {
        var w = new CodeWriter();
        if (gradient is not null)
        {
            GradientEmitter.Emit(w, spec, gradient);
            w.Line();
        }
        if (jvp is not null)
        {
            JvpEmitter.Emit(w, spec, jvp);
            w.Line();
        }
        if (spec.HasVectorOutput && spec.Modes.HasFlag(DerivativeModes.Jacobian))
        {
            bool shared = GradientEmitter.SharesForward(gradient!);
            JacobianEmitter.Emit(w, spec, spec.Ir, shared);
            w.Line();
            if (shared)
            {
                GradientEmitter.EmitJacobianRows(w, spec, gradient!);
                w.Line();
            }
        }
        if (hvp is { } h)
        {
            HvpEmitter.Emit(w, spec, h.Gradient, h.Program);
            w.Line();
            if (spec.Modes.HasFlag(DerivativeModes.Hessian))
            {
                HessianEmitter.Emit(w, spec, spec.Ir);
                w.Line();
            }
        }
        TapeEmitter.Emit(w, spec, tape, active);
        return w.ToString();
    }
}
