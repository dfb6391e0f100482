namespace OnnxBuildTasks.Integration;

/// <summary>
/// A temporary SDK project referencing the packed OnnxBuildTasks through a nuget.config whose only
/// source is artifacts/packages, with its own model cache. Deleted when disposed.
/// </summary>
internal sealed class TestProject : IDisposable
{
    public TestProject(string models)
    {
        Root = Path.Combine(Path.GetTempPath(), "obt-it-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Path.Combine(Root, "app", "models"));
        File.WriteAllText(Path.Combine(Root, "app", "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="onnxbuildtasks" value="{PackedPackage.Folder}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "app", "Empty.cs"), "namespace App; internal static class Empty { }\n");
        ProjectText = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OnnxCacheDir>$(MSBuildProjectDirectory)/../cache</OnnxCacheDir>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OnnxBuildTasks" Version="{PackedPackage.Version}" />
              </ItemGroup>
              <ItemGroup>
            {models}
              </ItemGroup>
            </Project>
            """;
    }

    public string Root { get; }

    public string Directory => Path.Combine(Root, "app");

    public string Bin => Path.Combine(Directory, "bin", "Debug", "net10.0");

    public string ObjOnnx => Path.Combine(Directory, "obj", "Debug", "net10.0", "onnx");

    public string ProjectText
    {
        get => File.ReadAllText(Path.Combine(Directory, "app.csproj"));
        set => File.WriteAllText(Path.Combine(Directory, "app.csproj"), value);
    }

    public string Model(string relative) => Path.Combine(Directory, relative);

    public DotnetCli.Result Build(params string[] extra) => DotnetCli.Run(Directory, ["build", "-v:d", .. extra]);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
