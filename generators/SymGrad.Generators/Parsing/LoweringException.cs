using System;
using Microsoft.CodeAnalysis;
using SymGrad.Generators.Diagnostics;

namespace SymGrad.Generators.Parsing;

/// <summary>Stops lowering a method at the first construct it cannot differentiate; carries the diagnostic.</summary>
internal sealed class LoweringException : Exception
{
    public LoweringException(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        : base(descriptor.Id) => Info = DiagnosticInfo.Create(descriptor, location, arguments);

    public DiagnosticInfo Info { get; }
}
