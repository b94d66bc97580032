using System.Runtime.CompilerServices;
using System.Text;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Verify-style snapshots: <see cref="Match"/> compares text with <c>Snapshots/{name}.verified.cs</c>, checked in
/// beside this file. On a mismatch (or a missing baseline) it writes <c>{name}.received.cs</c> beside it and fails
/// with the first differing lines; with <c>SYMGRAD_ACCEPT=1</c> it overwrites the baseline instead. A baseline is
/// accepted only after a person has read it: it is an expectation, so it must be judged right, not just current.
/// </summary>
internal static class Snapshot
{
    // SymGrad.Tests.csproj removes *.verified.cs and *.received.cs from compilation: they are text to compare.
    private const string Extension = ".cs";
    private const int Context = 3;
    private const int MaxHunks = 5;

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        // The snapshots live beside this file; the caller's path finds the source tree (tests run from bin/).
        string directory = Path.Combine(Path.GetDirectoryName(SourceFile())!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified" + Extension);
        string received = Path.Combine(directory, name + ".received" + Extension);
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable("SYMGRAD_ACCEPT") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual);
            Assert.Fail($"No baseline {verified} (called from {Path.GetFileName(callerFile)}). Wrote {received}: read it, and if it is right rename it to .verified{Extension} (or run with SYMGRAD_ACCEPT=1).");
        }
        string expected = Normalize(File.ReadAllText(verified));
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail($"Snapshot '{name}' differs from {verified}; wrote {received}. Accept with SYMGRAD_ACCEPT=1 once it is judged right.\n"
                    + Diff(expected, actual));
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;

    // Line endings and a trailing newline are not part of what a snapshot says.
    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";

    /// <summary>A small unified-style diff: each run of differing lines (aligned by a longest common subsequence) with context.</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        List<(char Kind, string Text)> edits = Edits(a, b);
        var output = new StringBuilder();
        int hunks = 0;
        for (int k = 0; k < edits.Count; k++)
        {
            if (edits[k].Kind == ' ') continue;
            if (++hunks > MaxHunks)
            {
                output.AppendLine("... more differences not shown");
                break;
            }
            int start = Math.Max(0, k - Context);
            int end = k;
            // Extend the hunk over changes that are within 2*Context of each other.
            for (int m = k; m < edits.Count && m <= end + 2 * Context; m++)
            {
                if (edits[m].Kind != ' ') end = m;
            }
            int stop = Math.Min(edits.Count - 1, end + Context);
            output.AppendLine($"@@ line {LineOf(edits, start)} @@");
            for (int m = start; m <= stop; m++) output.Append(edits[m].Kind).Append(' ').AppendLine(edits[m].Text);
            k = stop;
        }
        return output.ToString();
    }

    // The expected-file line number at an edit position (1-based).
    private static int LineOf(List<(char Kind, string Text)> edits, int position) =>
        1 + edits.Take(position).Count(e => e.Kind != '+');

    private static List<(char, string)> Edits(string[] a, string[] b)
    {
        // Longest common subsequence table; snapshots are a few hundred lines, so O(n*m) is fine.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var edits = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { edits.Add((' ', a[x])); x++; y++; }
            else if (lcs[x + 1, y] >= lcs[x, y + 1]) edits.Add(('-', a[x++]));
            else edits.Add(('+', b[y++]));
        }
        while (x < a.Length) edits.Add(('-', a[x++]));
        while (y < b.Length) edits.Add(('+', b[y++]));
        return edits;
    }
}
