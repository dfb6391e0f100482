using OnnxBuildTasks.Checkpoints;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class TiedWeightsTests
{
    private static readonly HashSet<string> BertMlmNames = ["bert.embeddings.word_embeddings.weight", "cls.predictions.bias"];

    [Theory]
    [InlineData("""{"model_type":"bert","architectures":["BertForMaskedLM"]}""", "cls.predictions.decoder.bias,cls.predictions.decoder.weight")]
    [InlineData("""{"model_type":"bert","architectures":["BertForMaskedLM"],"tie_word_embeddings":false}""", "cls.predictions.decoder.bias")]
    [InlineData("""{"model_type":"bert","architectures":["BertForSequenceClassification"]}""", "cls.predictions.decoder.bias")]
    [InlineData("""{"model_type":"bert"}""", "cls.predictions.decoder.bias")]
    [InlineData("""{"model_type":"roberta","architectures":["RobertaForMaskedLM"]}""", "")]
    public void HeadTiesNeedTheHeadClassAndTiedEmbeddings(string config, string expected)
    {
        var resolved = TiedWeights.Resolve(ModelConfig.Parse(config, "config.json"), BertMlmNames.Contains);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), resolved.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PresentNamesAreNeverReplaced()
    {
        var config = ModelConfig.Parse("""{"model_type":"gpt2","architectures":["GPT2LMHeadModel"]}""", "config.json");
        Assert.Empty(TiedWeights.Resolve(config, _ => true));
        Assert.Equal("transformer.wte.weight", TiedWeights.Resolve(config, n => n == "transformer.wte.weight")["lm_head.weight"]);
    }

    [Fact]
    public void EveryFixtureModelTypeWithTiesIsInTheTable()
    {
        var types = Directory.EnumerateDirectories(Fixtures.Path("hf-tiny"))
            .Select(d => ModelConfig.Load(Path.Combine(d, "config.json")).ModelType).Where(t => t != "vit").Distinct();
        Assert.All(types, t => Assert.Contains(t, TiedWeights.ModelTypes));
    }
}
