using System;
using System.Threading;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Differentiation;
using SymGrad.Generators.Model;
using SymGrad.Generators.Parsing;

namespace SymGrad.Generators.Emitting;

/// <summary>The members generated for one method, and the file they belong in.</summary>
internal sealed record EmittedMethod(string HintName, MethodSpec Spec, string Members, DiagnosticInfo? Error);

/// <summary>One generated file: the type's declarations around the members of each of its methods.</summary>
internal sealed record GeneratedFile(string HintName, MethodSpec First, EquatableArray<string> Members);

/// <summary>Differentiates one lowered method and renders its gradient and tape twins.</summary>
internal static class MethodEmitter
{
    public static EmittedMethod Emit(MethodSpec spec, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            var w = new CodeWriter();
            GradientEmitter.Emit(w, spec, ReverseMode.Differentiate(spec.Ir));
            ct.ThrowIfCancellationRequested();
            w.Line();
            TapeEmitter.Emit(w, spec);
            return new EmittedMethod(Emitter.HintName(spec), spec, w.ToString(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The generator never throws: an exception would silently drop every generated file (CS8785).
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, spec.Name, e.GetType().Name + ": " + e.Message);
            return new EmittedMethod(Emitter.HintName(spec), spec, "", error);
        }
    }
}
