using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.Tests.Onnx;

public class GeneratedProtoTests
{
    [Fact]
    public void ParsesAReferenceExportWrittenByTorch()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx")));
        Assert.Equal(13, model.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal("logits", model.Graph.Output.Single().Name);
        Assert.Equal("batch_size", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }
}
