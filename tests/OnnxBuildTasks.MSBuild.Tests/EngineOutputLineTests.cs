namespace OnnxBuildTasks.MSBuild.Tests;

public class EngineOutputLineTests
{
    [Theory]
    [InlineData("/p/app.csproj: error OBT1001: OnnxModel 'a': bad", true, "/p/app.csproj", "OBT1001", "OnnxModel 'a': bad")]
    [InlineData("C:\\p\\app.csproj: error OBT1001: x: y", true, "C:\\p\\app.csproj", "OBT1001", "x: y")]
    [InlineData("error OBT6001: no origin", true, null, "OBT6001", "no origin")]
    [InlineData("/p/app.csproj: warning OBT2001: w", false, "/p/app.csproj", "OBT2001", "w")]
    public void CanonicalLinesAreRecognised(string line, bool isError, string? origin, string code, string text)
    {
        var parsed = EngineOutputLine.TryParse(line);
        Assert.NotNull(parsed);
        Assert.Equal((isError, origin, code, text), (parsed.IsError, parsed.Origin, parsed.Code, parsed.Text));
    }

    [Theory]
    [InlineData("OnnxModel 'a' -> a/ (model.onnx)")]
    [InlineData("error CS1002: ; expected")]
    [InlineData("the word error OBT appears in prose")]
    public void OtherLinesAreOrdinaryOutput(string line) => Assert.Null(EngineOutputLine.TryParse(line));
}
