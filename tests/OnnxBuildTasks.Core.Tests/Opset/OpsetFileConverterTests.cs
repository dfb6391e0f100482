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

    [Fact]
    public void A_converted_model_saves_with_its_external_data_streamed_from_the_source()
    {
        using var dir = Fixtures.NewTempDir();
        var source = dir.Combine("model.onnx");
        OnnxModelFile.Save(OnnxModelFile.Load(Fixtures.Path("hf-tiny", "bert-feature-extraction", "reference.onnx")), source,
            new OnnxSaveOptions { ForceExternalData = true });
        var converted = OpsetConverter.Convert(OnnxModelFile.Load(source), 15).Model;
        Directory.CreateDirectory(dir.Combine("elsewhere"));
        var output = dir.Combine("elsewhere", "m15.onnx");
        OnnxModelFile.Save(converted, output); // no SourceDirectory needed: the clone keeps where its tensors live
        Assert.Equal(new FileInfo(source + "_data").Length, new FileInfo(output + "_data").Length);
        Assert.Equal("", OpsetTestKit.CheckerFindings(OnnxModelFile.Load(output)));
    }
}
