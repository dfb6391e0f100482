using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class SampleInputsTests
{
    private static IReadOnlyDictionary<string, HostTensor> For(string fixture, string file = "reference.onnx") =>
        SampleInputs.Create(OnnxModelFile.Load(Fixtures.Path("hf-tiny", fixture, file)), fixture);

    [Fact]
    public void EncoderInputsFollowTheNamingConventions()
    {
        var inputs = For("bert-token-classification");
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], inputs.Keys);
        Assert.All(inputs.Values, t => Assert.Equal([2, 8], t.Shape));
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0], (long[])inputs["attention_mask"].Data);
        Assert.All((long[])inputs["token_type_ids"].Data, v => Assert.Equal(0, v));
    }

    [Fact]
    public void IdsStayBelowTheEmbeddingsVocabularySize()
    {
        var model = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "gpt2-text-generation", "reference.onnx"));
        var vocab = model.Graph.Initializer.Single(t => t.Name.Contains("wte")).Dims[0];
        var ids = (long[])SampleInputs.Create(model, "gpt2")["input_ids"].Data;
        Assert.All(ids, v => Assert.InRange(v, 0, vocab - 1));
        Assert.Contains(ids, v => v >= 100);
    }

    [Fact]
    public void WithPastDecodersGetOneNewTokenAndAMaskOverPastPlusOne()
    {
        var inputs = For("gpt2-text-generation-with-past", "decoder_with_past_model.onnx");
        Assert.Equal([2, 1], inputs["input_ids"].Shape);
        Assert.Equal([2, 9], inputs["attention_mask"].Shape);
        Assert.Equal(8, inputs["past_key_values.0.key"].Shape[2]);
    }

    [Fact]
    public void GenerationIsDeterministic()
    {
        var a = For("roberta-multiple-choice");
        var b = For("roberta-multiple-choice");
        Assert.Equal([2, 2, 8], a["input_ids"].Shape);
        Assert.Equal((long[])a["input_ids"].Data, (long[])b["input_ids"].Data);
    }
}
