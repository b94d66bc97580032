using System.Diagnostics;

namespace SymGrad.PackageTests;

/// <summary>What a finished <c>dotnet</c> command printed.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Everything a failure message needs to be diagnosed without re-running the test.</summary>
    public string Transcript =>
        $"$ {CommandLine}\nexit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a child process, the way a user would from a shell.</summary>
public static class Dotnet
{
    /// <summary>
    /// Generous, because two shared cores may be busy with other builds; it only turns a hang into a clear
    /// failure and is not a performance assertion.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>dotnet args...</c> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
                                    params string[] args)
    {
        // The same host that runs this test (set by the dotnet CLI), else whatever is on PATH.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);

        // `dotnet test` leaves MSBuild variables in the test host's environment (SDK paths, node settings);
        // a child build must resolve its own SDK from its own folder, as a user's shell would.
        foreach (string key in psi.Environment.Keys.ToList())
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)) psi.Environment.Remove(key);
        // No MSBuild worker nodes left running after the test, holding files or output pipes open.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
            foreach (var (key, value) in environment) psi.Environment[key] = value;

        string commandLine = "dotnet " + string.Join(' ', args);
        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"could not start {commandLine}");
        // Read both pipes concurrently: a child that fills one pipe while we block on the other would hang.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"`{commandLine}` in {workingDirectory} did not finish within {Timeout.TotalMinutes} minutes " +
                        $"and was killed.\n--- stdout so far ---\n{stdout.Result}\n--- stderr so far ---\n{stderr.Result}");
        }
        process.WaitForExit(); // flushes the asynchronous readers
        return new CommandResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Like <see cref="Run"/>, failing the test with the full transcript on a non-zero exit code.</summary>
    public static CommandResult RunChecked(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
                                           params string[] args)
    {
        var result = Run(workingDirectory, environment, args);
        Assert.True(result.ExitCode == 0, $"command failed\n{result.Transcript}");
        return result;
    }
}
