using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using SymGrad.Generators.Diagnostics;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// Stops lowering a construct SymGrad cannot differentiate; carries the diagnostic. When lowering recovered from
/// several independent errors in one method, <see cref="All"/> holds each of them, in the order they were met.
/// </summary>
internal sealed class LoweringException : Exception
{
    public LoweringException(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        : base(descriptor.Id)
    {
        Info = DiagnosticInfo.Create(descriptor, location, arguments);
        All = new[] { Info };
    }

    public LoweringException(IReadOnlyList<DiagnosticInfo> all)
        : base(all[0].Id)
    {
        Info = all[0];
        All = all;
    }

    /// <summary>The first diagnostic.</summary>
    public DiagnosticInfo Info { get; }

    public IReadOnlyList<DiagnosticInfo> All { get; }
}

/// <summary>
/// The code being inlined (a struct's member) has compiler errors: the compiler reports them, and SymGrad stays
/// silent on the method, as it does for a method with errors of its own.
/// </summary>
internal sealed class UserCodeErrorException : Exception
{
}

/// <summary>
/// Thrown when a scalarised local array turns out to need memory (a loop indexes it at run time): lowering starts
/// again with that array in memory from its declaration.
/// </summary>
internal sealed class NeedsMemoryException : Exception
{
    public NeedsMemoryException(Microsoft.CodeAnalysis.ISymbol array)
        : base(array.Name)
    {
        Array = array;
    }

    public Microsoft.CodeAnalysis.ISymbol Array { get; }
}
