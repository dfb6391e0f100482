namespace OnnxBuildTasks.Integration;

[Collection("dotnet build")]
public sealed class ProjectReferenceTests
{
    [Fact]
    public void AProjectReferencingTheDeclaringProjectGetsItsModelsWithoutThePackage()
    {
        using var library = new TestProject("""
                <OnnxModel Include="models/sentiment.onnx" />
            """);
        File.WriteAllBytes(library.Model("models/sentiment.onnx"), Fixture.SentimentOnnx);
        var consumer = Path.Combine(library.Root, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../app/app.csproj" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), "System.Console.WriteLine(1);\n");
        File.Copy(Path.Combine(library.Directory, "nuget.config"), Path.Combine(consumer, "nuget.config"));

        var build = DotnetCli.Run(consumer, "build", "-v:n");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(Fixture.SentimentOnnx, File.ReadAllBytes(Path.Combine(consumer, "bin", "Debug", "net10.0", "models", "sentiment", "model.onnx")));
        // The build logic stays with the declaring project: build/ assets do not flow to a consumer
        // (and there is no buildTransitive/), so the consumer imports no OnnxBuildTasks targets.
        var imports = File.ReadAllText(Path.Combine(consumer, "obj", "consumer.csproj.nuget.g.targets"))
            + File.ReadAllText(Path.Combine(consumer, "obj", "consumer.csproj.nuget.g.props"));
        Assert.DoesNotContain("OnnxBuildTasks.targets", imports, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("OnnxBuildTasks.props", imports, StringComparison.OrdinalIgnoreCase);
    }
}
