using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Emitting;
using SymGrad.Generators.Model;
using SymGrad.Generators.Parsing;
using SymGrad.Generators.Pipeline;

namespace SymGrad.Generators;

/// <summary>
/// Adds <c>{Name}Gradient</c> and <c>{Name}Tape</c> beside every <c>[Differentiable]</c> method. The pipeline:
/// front end (<see cref="MethodParser"/>: checks and lowering to IR), then per method the phases composed by
/// <see cref="MethodPipeline"/> (differentiation, optimisation, emission), then one file per containing type.
/// Every step's output is value-equatable, so an edit elsewhere re-runs nothing here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<LoweringResult> lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeNames.DifferentiableAttribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax or LocalFunctionStatementSyntax,
                transform: static (ctx, ct) => MethodParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Lowered);

        context.RegisterSourceOutput(lowered.SelectMany(static (r, _) => r.Diagnostics),
            static (spc, info) => spc.ReportDiagnostic(info.ToDiagnostic()));

        IncrementalValuesProvider<EmittedMethod> emitted = lowered
            .Where(static r => r.Spec is not null)
            .Select(static (r, ct) => MethodPipeline.Run(r.Spec!, ct))
            .WithTrackingName(TrackingNames.Emitted);

        context.RegisterSourceOutput(emitted.Where(static m => m.Error is not null),
            static (spc, m) => spc.ReportDiagnostic(m.Error!.ToDiagnostic()));

        IncrementalValuesProvider<GeneratedFile> files = emitted
            .Where(static m => m.Error is null)
            .Collect()
            .SelectMany(static (all, _) => all
                .GroupBy(m => m.HintName)
                .Select(g => new GeneratedFile(g.Key, g.First().Type, g.Select(m => m.Members).ToEquatableArray()))
                .ToImmutableArray())
            .WithTrackingName(TrackingNames.Files);

        context.RegisterSourceOutput(files, static (spc, file) => spc.AddSource(file.HintName, Emitter.File(file.Type, file.Members)));
    }
}
