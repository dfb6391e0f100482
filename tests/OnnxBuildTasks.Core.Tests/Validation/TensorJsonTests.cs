using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class TensorJsonTests
{
    [Fact]
    public void ReadsFixtureInputsInOrder()
    {
        var t = TensorJson.ReadFile(Fixtures.Path("hf-tiny", "bert-token-classification", "inputs.json"));
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], t.Keys);
        Assert.Equal(TensorProto.Types.DataType.Int64, t["input_ids"].ElementType);
        Assert.Equal([2L, 7L], t["input_ids"].Shape);
        Assert.Equal(2L, ((long[])t["input_ids"].Data)[0]);
    }

    [Fact]
    public void RoundTripsFloatsExactly()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine("o.json");
        var original = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float([2], [0.1f, -3.4028235e38f]) };
        TensorJson.WriteFile(path, original);
        var back = TensorJson.ReadFile(path);
        Assert.Equal((float[])original["x"].Data, (float[])back["x"].Data);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"x\":{\"dtype\":\"int64\",\"shape\":[3],\"data\":[1,2]}}")]
    [InlineData("{\"x\":{\"dtype\":\"complex7\",\"shape\":[1],\"data\":[1]}}")]
    [InlineData("{\"x\":{\"dtype\":\"int64\",\"shape\":[1],\"data\":[1.5]}}")]
    [InlineData("{\"x\":{\"shape\":[1],\"data\":[1]}}")]
    public void MalformedFilesGiveTheCode(string json)
    {
        var e = Assert.Throws<OnnxBuildException>(() => TensorJson.Parse(json));
        Assert.Equal(ErrorCodes.TensorJsonInvalid, e.Code);
    }
}
