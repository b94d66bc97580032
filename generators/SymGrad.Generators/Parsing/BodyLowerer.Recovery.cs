using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Reporting several independent errors of one method. In the method's own body (not in an inlined callee, whose
/// errors become one SG0014 at the call), a statement that fails is recorded and skipped, and lowering goes on with
/// the next one. The locals the failed statement writes are "poisoned": their values may be wrong from then on, so
/// a later error whose syntax reads a poisoned local is dropped (it may only be a consequence of the first), and a
/// statement that reads one poisons what it writes. No output is made once an error is recorded.
/// </summary>
internal sealed partial class BodyLowerer
{
    private readonly List<DiagnosticInfo> _errors = new();
    private readonly HashSet<(string Id, int Start, int Length)> _errorKeys = new();
    private readonly HashSet<ISymbol> _poisoned = new(SymbolEqualityComparer.Default);

    /// <summary>Statement-level recovery happens only in the root method's body.</summary>
    private bool Recovering => _callStack.Count == 1;

    private static bool IsRecoverable(LoweringException e) => e.Info.Id != DiagnosticDescriptors.MethodTooLarge.Id;

    /// <summary>Before a simple statement: if it reads a poisoned local, what it writes is poisoned too.</summary>
    private void PropagatePoison(IOperation statement)
    {
        if (_poisoned.Count == 0 || statement is not (IExpressionStatementOperation or IVariableDeclarationGroupOperation)) return;
        if (statement.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(l => _poisoned.Contains(l.Local)))
        {
            _poisoned.UnionWith(Written(statement));
        }
    }

    /// <summary>Records the error of a failed statement, unless it may be a consequence of an earlier one.</summary>
    private void Record(LoweringException e, IOperation statement)
    {
        foreach (DiagnosticInfo info in e.All)
        {
            if (!ReadsPoisoned(info, statement.Syntax.SyntaxTree) && _errorKeys.Add((info.Id, info.Span.Start, info.Span.Length))) _errors.Add(info);
        }
        _poisoned.UnionWith(Written(statement));
    }

    /// <summary>The errors recorded so far plus <paramref name="last"/>, as one exception.</summary>
    private LoweringException Aggregate(LoweringException? last)
    {
        var all = new List<DiagnosticInfo>(_errors);
        foreach (DiagnosticInfo info in last?.All ?? System.Array.Empty<DiagnosticInfo>())
        {
            if (_errorKeys.Add((info.Id, info.Span.Start, info.Span.Length))) all.Add(info);
        }
        return new LoweringException(all);
    }

    private bool ReadsPoisoned(DiagnosticInfo info, SyntaxTree tree)
    {
        if (_poisoned.Count == 0 || info.FilePath != tree.FilePath || info.Span.End > tree.Length) return false;
        SyntaxNode node = tree.GetRoot(_ct).FindNode(info.Span, getInnermostNodeForTie: true);
        SemanticModel model = _compilation.GetSemanticModel(tree);
        return node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Any(id => model.GetSymbolInfo(id, _ct).Symbol is ILocalSymbol local && _poisoned.Contains(local));
    }

    /// <summary>The locals a statement declares or assigns (or whose elements it assigns), anywhere inside it.</summary>
    private static IEnumerable<ISymbol> Written(IOperation statement)
    {
        foreach (IOperation d in statement.DescendantsAndSelf())
        {
            IOperation? target = d switch
            {
                IAssignmentOperation a => a.Target,
                IIncrementOrDecrementOperation s => s.Target,
                _ => null,
            };
            if (d is IVariableDeclaratorOperation declarator) yield return declarator.Symbol;
            if (d is IBranchOperation { Target: { } label }) yield return label;
            if (target is null) continue;
            foreach (ILocalReferenceOperation local in target.DescendantsAndSelf().OfType<ILocalReferenceOperation>()) yield return local.Local;
        }
    }
}
