using System.Text.Json;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class SampleTextTests
{
    // Encoder fixtures whose slow tokenizer we reproduce: ids and mask must equal the fixture's inputs.json,
    // which transformers' slow tokenizer made from the manifest's texts (truncated to the fixture's length).
    [Theory]
    [InlineData("bert-fill-mask")]
    [InlineData("bert-text-classification")]
    [InlineData("distilbert-fill-mask")]
    [InlineData("distilbert-token-classification")]
    [InlineData("electra-fill-mask")]
    [InlineData("electra-text-classification")]
    [InlineData("mpnet-fill-mask")]
    [InlineData("mpnet-feature-extraction")]
    [InlineData("roberta-fill-mask")]
    [InlineData("roberta-text-classification")]
    [InlineData("gpt2-text-generation")]
    [InlineData("albert-fill-mask")]
    [InlineData("albert-token-classification")]
    [InlineData("xlm-roberta-fill-mask")]
    [InlineData("xlm-roberta-token-classification")]
    public void TokenizingTheManifestTextsGivesTheFixtureInputs(string fixture)
    {
        var folder = Fixtures.Path("hf-tiny", fixture);
        var (texts, paddingSide) = ReadManifest(folder);
        Assert.Equal("right", paddingSide);
        var inputs = TensorJson.ReadFile(System.IO.Path.Combine(folder, "inputs.json"));
        var expectedIds = inputs["input_ids"];
        Assert.Equal(2, expectedIds.Shape.Length);

        var text = SampleText.TryCreate(folder, out var reason);

        Assert.True(text is not null, reason);
        var encoded = text.Encode(texts, maxLength: (int)expectedIds.Shape[1]);
        Assert.Equal(expectedIds.Shape, new long[] { encoded.Rows, encoded.Length });
        Assert.Equal((long[])expectedIds.Data, encoded.InputIds);
        Assert.Equal((long[])inputs["attention_mask"].Data, encoded.AttentionMask);
    }

    [Theory]
    [InlineData("xlm-fill-mask", "XLMTokenizer")]
    [InlineData("t5-feature-extraction", "tokenizer_config.json")]
    public void UnsupportedTokenizersAreNotFaked(string fixture, string named)
    {
        var text = SampleText.TryCreate(Fixtures.Path("hf-tiny", fixture), out var reason);

        Assert.Null(text);
        Assert.Contains(named, reason);
    }

    [Fact]
    public void LongTextsAreTruncatedKeepingTheSpecialTokensAndShortOnesPadded()
    {
        var text = SampleText.TryCreate(Fixtures.Path("hf-tiny", "bert-fill-mask"), out var reason)!;
        Assert.NotNull(text);

        var encoded = text.Encode(["the the the the the the the the", "the"], maxLength: 4);

        Assert.Equal(4, encoded.Length);
        Assert.Equal(2, encoded.InputIds[0]); // [CLS]
        Assert.Equal(3, encoded.InputIds[3]); // [SEP]
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, encoded.AttentionMask);
        Assert.Equal(text.PadId, encoded.InputIds[7]);
    }

    private static (string[] Texts, string PaddingSide) ReadManifest(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, "manifest.json")));
        var root = manifest.RootElement;
        return (root.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray(), root.GetProperty("padding_side").GetString()!);
    }
}
