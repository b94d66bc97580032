using System.Security.Cryptography;
using System.Text;
using CsCheck;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The fuzz tests' random inputs, the same on every run whatever the thread scheduling.
/// <para>
/// Why not CsCheck's <c>Sample(..., seed: s, iter: n)</c>: its seed is "the initial seed to use for the first
/// iteration" (CsCheck's own documentation), and every later iteration draws a fresh seed from a generator that is
/// not derived from it. A CI run of 60 batches "with a fixed seed" checked one fixed batch and 59 new random ones,
/// which is how a run could fail once and pass the next time. Here each batch is generated from its own seed, drawn
/// in order from one generator seeded by the run's seed: batch k is the same on every run and on every machine.
/// </para>
/// </summary>
internal static class FixedSample
{
    /// <summary><paramref name="count"/> values of <paramref name="gen"/>, batch k from the k-th seed of <paramref name="seed"/>'s stream.</summary>
    public static T[] Draw<T>(Gen<T> gen, ulong seed, int count)
    {
        var seeds = new PCG(1, seed);
        var values = new T[count];
        for (int k = 0; k < count; k++) values[k] = gen.Generate(new PCG(1, seeds.Next64()), null, out _);
        return values;
    }

    /// <summary>The run's seed: <paramref name="fallback"/> in CI, or the variable's (SYMGRAD_FUZZ_SEED) for another campaign.</summary>
    public static ulong Seed(ulong fallback, string variable = "SYMGRAD_FUZZ_SEED") =>
        ulong.TryParse(Environment.GetEnvironmentVariable(variable), out ulong s) && s > 0 ? s : fallback;

    /// <summary>The first 16 hex digits of the SHA-256 of the texts, in order: equal on two runs iff they checked the same inputs.</summary>
    public static string Checksum(IEnumerable<string> texts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string t in texts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(t));
            sha.AppendData([0]);
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>
    /// Records what a fuzz test checked (<c>name: count, checksum</c>) in TestResults/fuzz-manifest.txt at the
    /// repository's root, which <c>.ci/run</c> prints after the tests, so two CI runs can be compared at a glance.
    /// </summary>
    public static void Record(string test, int count, string what, string checksum) => Record(test, $"{count} {what}, checksum {checksum}");

    /// <summary>Records one line under the test's name (replacing the line it recorded last time).</summary>
    public static void Record(string test, string text)
    {
        string line = $"{test}: {text}";
        string? root = RepositoryRoot();
        if (root is null) return; // run outside the repository: nothing to record into
        string folder = Path.Combine(root, "TestResults");
        Directory.CreateDirectory(folder);
        lock (typeof(FixedSample))
        {
            string path = Path.Combine(folder, "fuzz-manifest.txt");
            var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => !l.StartsWith(test + ":", StringComparison.Ordinal)).ToList() : [];
            lines.Add(line);
            lines.Sort(StringComparer.Ordinal);
            File.WriteAllLines(path, lines);
        }
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SymGrad.sln"))) return dir.FullName;
        }
        return null;
    }
}
