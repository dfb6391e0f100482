using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Opset;

public class OpsetFileConverterTests
{
    [Fact]
    public void External_data_stays_external_and_the_converted_model_validates()
    {
        using var dir = Fixtures.NewTempDir();
        var source = dir.Combine("src", "model.onnx");
        Directory.CreateDirectory(dir.Combine("src"));
        var original = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "bert-feature-extraction", "reference.onnx"));
        OnnxModelFile.Save(original, source, new OnnxSaveOptions { ForceExternalData = true });
        var loaded = OnnxModelFile.Load(source);
        Assert.Contains(loaded.Graph.Initializer, ExternalData.IsExternal);

        var output = dir.Combine("out", "model17.onnx");
        var result = OpsetFileConverter.Convert(source, output, 17,
            new OpsetFileConversionOptions { Inputs = TensorJson.ReadFile(Fixtures.Path("hf-tiny", "bert-feature-extraction", "inputs.json")), Atol = 1e-5 });

        Assert.True(result.Validation!.Passed);
        var converted = OnnxModelFile.Load(output);
        Assert.Equal(17, converted.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Contains(converted.Graph.Initializer, ExternalData.IsExternal);
        Assert.True(File.Exists(output + "_data"));
        Assert.Equal(2, Directory.GetFiles(dir.Combine("out")).Length);
    }
}
