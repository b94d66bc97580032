using System.Diagnostics;
using SymGrad;

namespace SeedNotebook.Pictures;

/// <summary>
/// <see cref="Value.ToDot"/> of a loss, rendered by Graphviz when <c>dot</c> is on the PATH; otherwise the .dot
/// file alone, with the command that renders it.
/// </summary>
public static class ComputationGraph
{
    /// <returns>The files written (the .dot, and the .svg when Graphviz ran).</returns>
    public static IReadOnlyList<string> Write(Value root, string dotPath, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(dotPath);
        ArgumentNullException.ThrowIfNull(log);
        File.WriteAllText(dotPath, root.ToDot());
        string svgPath = Path.ChangeExtension(dotPath, ".svg");
        string? dot = FindOnPath("dot");
        if (dot is null)
        {
            log.WriteLine($"  Graphviz 'dot' is not on PATH; render with: dot -Tsvg {dotPath} -o {svgPath}");
            return [dotPath];
        }
        var start = new ProcessStartInfo(dot) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["-Tsvg", dotPath, "-o", svgPath]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dot}");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dot exited with {process.ExitCode}: {errors}");
        return [dotPath, svgPath];
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
