using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Onnx;

public class StreamingModelWriterTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PayloadsGiveTheSameBytesAsInlineRawData(bool external)
    {
        using var dir = Fixtures.NewTempDir();
        var model = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "gpt2-text-generation", "reference.onnx"));
        var (withoutData, payloads) = TestModels.WithPayloads(model);
        Assert.True(payloads.Count > 10);
        var options = new OnnxSaveOptions { ForceExternalData = external, ExternalDataThreshold = 256 };

        OnnxModelFile.Save(model, dir.Combine("inline", "model.onnx"), options);
        OnnxModelFile.Save(withoutData, dir.Combine("payload", "model.onnx"), new OnnxSaveOptions
        {
            ForceExternalData = external, ExternalDataThreshold = 256, Payloads = payloads,
        });

        Assert.Equal(File.ReadAllBytes(dir.Combine("inline", "model.onnx")), File.ReadAllBytes(dir.Combine("payload", "model.onnx")));
        Assert.Equal(external, File.Exists(dir.Combine("payload", "model.onnx_data")));
        if (external)
            Assert.Equal(File.ReadAllBytes(dir.Combine("inline", "model.onnx_data")), File.ReadAllBytes(dir.Combine("payload", "model.onnx_data")));
        // The caller's model is left as it was: still without data.
        Assert.All(withoutData.Graph.Initializer.Where(t => payloads.ContainsKey(t.Name)), t => Assert.True(t.RawData.IsEmpty));
    }

    [Fact]
    public void FilePayloadsStreamFromARangeOfAFile()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear(n: 8);
        var w = model.Graph.Initializer.Single(t => t.Name == "W").RawData.ToByteArray();
        var blob = dir.Combine("blob.bin");
        File.WriteAllBytes(blob, [.. new byte[17], .. w, 9, 9]);
        var (withoutData, payloads) = TestModels.WithPayloads(model);
        payloads["W"] = TensorPayload.FromFile(blob, 17, w.Length);

        OnnxModelFile.Save(withoutData, dir.Combine("model.onnx"), new OnnxSaveOptions { Payloads = payloads });
        OnnxModelFile.Save(model, dir.Combine("expected.onnx"));

        Assert.Equal(File.ReadAllBytes(dir.Combine("expected.onnx")), File.ReadAllBytes(dir.Combine("model.onnx")));
    }

    [Fact]
    public void APayloadOfTheWrongLengthOrForAnUnknownInitializerIsRefused()
    {
        using var dir = Fixtures.NewTempDir();
        var (model, payloads) = TestModels.WithPayloads(TestModels.Linear(n: 8));

        payloads["W"] = TensorPayload.FromBytes(new byte[10]);
        var wrong = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Save(model, dir.Combine("a.onnx"), new OnnxSaveOptions { Payloads = payloads }));
        Assert.Equal(ErrorCodes.TensorPayloadInvalid, wrong.Code);
        Assert.Contains("'W'", wrong.Message);

        payloads["W"] = TensorPayload.FromBytes(new byte[8 * 8 * 4]);
        payloads["Nope"] = TensorPayload.FromBytes(new byte[4]);
        var unknown = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Save(model, dir.Combine("a.onnx"), new OnnxSaveOptions { Payloads = payloads }));
        Assert.Equal(ErrorCodes.TensorPayloadInvalid, unknown.Code);
        Assert.Contains("'Nope'", unknown.Message);
        Assert.Empty(Directory.GetFiles(dir.FullPath));
    }

    [Fact]
    public void APayloadThatWritesFewerBytesThanItsLengthLeavesNoFileBehind()
    {
        using var dir = Fixtures.NewTempDir();
        var (model, payloads) = TestModels.WithPayloads(TestModels.Linear(n: 8));
        payloads["W"] = new LyingPayload(8 * 8 * 4);

        foreach (var external in new[] { false, true })
        {
            var e = Assert.Throws<OnnxBuildException>(() =>
                OnnxModelFile.Save(model, dir.Combine("m.onnx"), new OnnxSaveOptions { Payloads = payloads, ForceExternalData = external, ExternalDataThreshold = 1 }));
            Assert.Equal(ErrorCodes.TensorPayloadInvalid, e.Code);
            Assert.Empty(Directory.GetFiles(dir.FullPath));
        }
    }

    private sealed class LyingPayload(long length) : ITensorPayload
    {
        public long Length => length;

        public void WriteTo(Stream destination) => destination.Write(new byte[length - 3]);
    }
}
