namespace SymGrad.Tests.Generator;

/// <summary>The snapshot helper must fail when it should, or every snapshot test passes vacuously.</summary>
public class SnapshotHelperTests
{
    private static string SnapshotsDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");

    [Fact]
    public void A_missing_baseline_fails_and_writes_the_received_file()
    {
        if (Environment.GetEnvironmentVariable("SYMGRAD_ACCEPT") == "1") return; // accepting writes baselines instead
        string name = "HelperTest_" + Guid.NewGuid().ToString("N");
        string received = Path.Combine(SnapshotsDirectory(), name + ".received.cs");
        try
        {
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Snapshot.Match("class C { }", name));
            Assert.Equal("class C { }\n", File.ReadAllText(received));
        }
        finally
        {
            File.Delete(received);
        }
    }

    [Fact]
    public void A_difference_fails_with_the_differing_lines_and_their_context()
    {
        string expected = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"line {i}"));
        string actual = expected.Replace("line 10", "line ten");
        string diff = Snapshot.Diff(expected, actual);
        Assert.Contains("- line 10", diff);
        Assert.Contains("+ line ten", diff);
        Assert.Contains("  line 9", diff);   // context before
        Assert.Contains("  line 11", diff);  // context after
        Assert.DoesNotContain("line 2\n", diff); // far lines are left out
        Assert.Contains("@@ line 7 @@", diff);
    }

    [Fact]
    public void Line_endings_do_not_count_as_a_difference()
    {
        // The checked-in baseline of the diagnostics is compared with CRLF text: it must still match.
        string text = File.ReadAllText(Path.Combine(SnapshotsDirectory(), "Diagnostics.verified.cs"));
        Snapshot.Match(text.Replace("\n", "\r\n"), "Diagnostics");
    }
}
