namespace SymGrad.PackageTests;

/// <summary>
/// Writes a brand-new console project, outside the repository, that uses SymGrad the way a user would: one
/// <c>PackageReference</c> by version, warnings as errors, a <c>[Differentiable]</c> method, and a program that
/// prints the generated gradient and the tape's gradient so the test can compare them.
/// </summary>
public static class ConsumerProject
{
    /// <summary>The namespace and type holding the consumer's differentiable method (hint name Consumer.Fns.g.cs).</summary>
    public const string Namespace = "Consumer", Type = "Fns";

    /// <summary>Writes the project into <paramref name="dir"/>, resolving SymGrad from <paramref name="feed"/>.</summary>
    public static void Write(string dir, string feed, string version)
    {
        Directory.CreateDirectory(dir);

        // Stubs stop MSBuild from walking up into whatever Directory.Build.* / Directory.Packages.props a parent
        // of the temp folder might hold; the consumer must build on the SDK defaults plus its own settings.
        const string emptyProject = "<Project />\n";
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), emptyProject);
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), emptyProject);
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), emptyProject);

        // The folder feed plus the normal source, as the machine's own NuGet.Config has it. Source mapping sends
        // SymGrad to the folder feed only, so its restore never asks the network (and nothing else is needed).
        File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="SymGrad" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        File.WriteAllText(Path.Combine(dir, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <!-- The generated code must compile without a single warning (CS9057, an analyzer built against a
                     newer compiler, is a warning too, and would mean the generator silently did not run). -->
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <MSBuildTreatWarningsAsErrors>true</MSBuildTreatWarningsAsErrors>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <!-- NuGet audit needs the vulnerability feed, which build machines without a network cannot reach. -->
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SymGrad" Version="{version}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(dir, $"{Type}.cs"), $$"""
            using SymGrad;

            namespace {{Namespace}};

            public static partial class {{Type}}
            {
                [Differentiable]
                public static double F(double x, double y) => x * x * y + Math.Sin(x);

                [Differentiable(Modes = DerivativeModes.Jacobian)]
                public static void R(double x, double y, [Output] Span<double> r)
                {
                    r[0] = x * y;
                    r[1] = Math.Sin(x);
                }
            }
            """);

        // Prints, in round-trip format, the value and gradient of the generated code and of the tape twin.
        // The adjoints start as garbage: SymGrad writes them, so an accumulating gradient would show up.
        File.WriteAllText(Path.Combine(dir, "Program.cs"), $$"""
            using System.Globalization;
            using SymGrad;
            using {{Namespace}};

            double x = double.Parse(args[0], CultureInfo.InvariantCulture);
            double y = double.Parse(args[1], CultureInfo.InvariantCulture);

            double dX = 1000.0, dY = -1000.0;
            double value = {{Type}}.FGradient(x, y, ref dX, ref dY);

            Value vx = new Value(x, "x"), vy = new Value(y, "y");
            Value tape = {{Type}}.FTape(vx, vy);
            tape.Backward();

            string R(double d) => d.ToString("R", CultureInfo.InvariantCulture);
            Console.WriteLine($"gradient {R(value)} {R(dX)} {R(dY)}");
            Console.WriteLine($"tape {R(tape.Data)} {R(vx.Grad)} {R(vy.Grad)}");

            // A vector output's generated Jacobian (2 x 2, by reverse sweeps): d(xy)/dx, d(xy)/dy, d(sin x)/dx.
            double[] r = new double[2];
            var jacobian = new double[2, 2];
            {{Type}}.RJacobian(x, y, r, jacobian);
            Console.WriteLine($"jacobian {R(jacobian[0, 0])} {R(jacobian[0, 1])} {R(jacobian[1, 0])}");
            """);
    }
}
