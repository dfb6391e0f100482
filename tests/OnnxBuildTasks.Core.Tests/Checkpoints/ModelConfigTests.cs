using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.Tests.Checkpoints;

public class ModelConfigTests
{
    // fixture -> (model_type, hidden, heads, layers, intermediate, vocab, eps, act, tie)
    // expected values read by hand from each fixture's config.json and transformers' config class defaults.
    public static TheoryData<string, string, int, int, int, int, int, double, string, bool> Fixtures_ => new()
    {
        { "albert-feature-extraction", "albert", 32, 4, 2, 64, 500, 1e-12, "gelu_new", true },
        { "bart-feature-extraction", "bart", 32, 4, 2, 64, 511, 1e-5, "gelu", true },
        { "bert-feature-extraction", "bert", 32, 4, 2, 64, 320, 1e-12, "gelu", true },
        { "distilbert-feature-extraction", "distilbert", 32, 4, 2, 64, 320, 1e-12, "gelu", true },
        { "electra-feature-extraction", "electra", 32, 4, 2, 64, 320, 1e-12, "gelu", true },
        { "gpt-neo-feature-extraction", "gpt_neo", 32, 4, 2, 64, 707, 1e-5, "gelu_new", true },
        { "gpt2-feature-extraction", "gpt2", 32, 4, 2, 128, 707, 1e-5, "gelu_new", true },
        { "gptj-feature-extraction", "gptj", 32, 4, 2, 128, 707, 1e-5, "gelu_new", false },
        { "llama-feature-extraction", "llama", 32, 4, 2, 64, 756, 1e-6, "silu", false },
        { "mpnet-feature-extraction", "mpnet", 32, 4, 2, 64, 320, 1e-12, "gelu", true },
        { "roberta-feature-extraction", "roberta", 32, 4, 2, 64, 711, 1e-12, "gelu", true },
        { "t5-feature-extraction", "t5", 32, 4, 2, 64, 310, 1e-6, "relu", true },
        { "vit-feature-extraction", "vit", 32, 4, 2, 64, 0, 1e-12, "gelu", true },
        { "xlm-feature-extraction", "xlm", 32, 4, 2, 128, 608, 1e-12, "gelu", true },
        { "xlm-roberta-feature-extraction", "xlm-roberta", 32, 4, 2, 64, 502, 1e-12, "gelu", true },
    };

    [Theory]
    [MemberData(nameof(Fixtures_))]
    public void TypedPropertiesReadEveryFixtureArchitecture(string fixture, string modelType, int hidden, int heads, int layers,
        int intermediate, int vocab, double eps, string act, bool tie)
    {
        var config = ModelConfig.Load(Fixtures.Path("hf-tiny", fixture, "config.json"));
        Assert.Equal(modelType, config.ModelType);
        Assert.Equal(hidden, config.HiddenSize);
        Assert.Equal(heads, config.NumAttentionHeads);
        Assert.Equal(layers, config.NumHiddenLayers);
        Assert.Equal(intermediate, config.IntermediateSize);
        if (vocab > 0) Assert.Equal(vocab, config.VocabSize);
        Assert.Equal(eps, config.LayerNormEps);
        Assert.Equal(act, config.HiddenAct);
        Assert.Equal(tie, config.TieWordEmbeddings);
        Assert.NotEmpty(config.Architectures);
    }

    [Fact]
    public void PositionsAliasesAndLabels()
    {
        var gpt2 = ModelConfig.Load(Fixtures.Path("hf-tiny", "gpt2-feature-extraction", "config.json"));
        Assert.Equal(64, gpt2.MaxPositionEmbeddings); // n_positions
        Assert.Equal(706, gpt2.PadTokenId);
        Assert.Equal(0, gpt2.TypeVocabSize);
        var bert = ModelConfig.Load(Fixtures.Path("hf-tiny", "bert-token-classification", "config.json"));
        Assert.Equal(2, bert.TypeVocabSize);
        Assert.Equal(bert.Id2Label.Count, bert.NumLabels);
        Assert.Equal(bert.Id2Label.Count, bert.Label2Id.Count);
        foreach (var (id, label) in bert.Id2Label) Assert.Equal(id, bert.Label2Id[label]);
        var t5 = ModelConfig.Load(Fixtures.Path("hf-tiny", "t5-feature-extraction", "config.json"));
        var e = Assert.Throws<OnnxBuildException>(() => t5.MaxPositionEmbeddings);
        Assert.Equal(ErrorCodes.ConfigFieldInvalid, e.Code);
        Assert.Contains("max_position_embeddings", e.Message);
    }

    [Fact]
    public void GenericAccessorsUseAliasesAndDefaults()
    {
        var c = ModelConfig.Parse("""{"model_type":"custom","n_embd":48,"ratio":0.5,"flag":false,"name":"x","n_inner":null}""", "mem");
        Assert.Equal(48, c.GetInt("hidden_size", "n_embd"));
        Assert.Equal(7, c.GetInt("n_inner", 7));
        Assert.Equal(0.5, c.GetDouble("ratio"));
        Assert.Equal(1.5, c.GetDouble("missing", 1.5));
        Assert.False(c.GetBool("flag", true));
        Assert.True(c.GetBool("other", true));
        Assert.Equal("x", c.GetString("name"));
        Assert.Null(c.GetString("nothing"));
        Assert.Equal(2, c.NumLabels);
        Assert.True(c.TieWordEmbeddings);
    }

    [Theory]
    [InlineData("[1,2]", "OBT3061")]
    [InlineData("{not json", "OBT3061")]
    [InlineData("\"text\"", "OBT3061")]
    [InlineData("""{"model_type": 5}""", "OBT3062")]
    [InlineData("""{"architectures": "BertModel"}""", "OBT3062")]
    [InlineData("""{"id2label": {"x": "A"}}""", "OBT3062")]
    [InlineData("""{"label2id": {"A": "zero"}}""", "OBT3062")]
    public void MalformedConfigsGiveCodedErrors(string json, string code)
    {
        var e = Assert.Throws<OnnxBuildException>(() => ModelConfig.Parse(json, "bad/config.json"));
        Assert.Equal(code, e.Code);
        Assert.Contains("bad/config.json", e.Message);
    }

    [Theory]
    [InlineData("""{"hidden_size": "32"}""")]
    [InlineData("""{"hidden_size": 32.5}""")]
    [InlineData("""{"n_embd": true}""")]
    [InlineData("""{}""")]
    public void RequiredFieldWrongTypeOrAbsentNamesTheField(string json)
    {
        var c = ModelConfig.Parse(json, "cfg.json");
        var e = Assert.Throws<OnnxBuildException>(() => c.HiddenSize);
        Assert.Equal(ErrorCodes.ConfigFieldInvalid, e.Code);
        Assert.Matches("hidden_size|n_embd", e.Message);
    }

    // Load reads bytes, not text: every encoding File.ReadAllText accepts must still read the same
    // (UTF-8 with or without a byte-order mark, UTF-16 with one, stray invalid bytes inside a string).
    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8 bom")]
    [InlineData("utf-16le bom")]
    [InlineData("utf-16be bom")]
    [InlineData("invalid byte in a label")]
    public void LoadReadsEveryEncodingReadAllTextReads(string encoding)
    {
        const string json = """{"model_type": "bert", "architectures": ["BertForSequenceClassification"], "id2label": {"1": "pos", "0": "negé"}}""";
        byte[] bytes = encoding switch
        {
            "utf-8" => System.Text.Encoding.UTF8.GetBytes(json),
            "utf-8 bom" => [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(json)],
            "utf-16le bom" => [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes(json)],
            "utf-16be bom" => [0xFE, 0xFF, .. System.Text.Encoding.BigEndianUnicode.GetBytes(json)],
            _ => System.Text.Encoding.UTF8.GetBytes(json).Select(b => b == (byte)'g' ? (byte)0xFF : b).ToArray(),
        };
        using var dir = Fixtures.NewTempDir();
        File.WriteAllBytes(dir.Combine("config.json"), bytes);

        var loaded = ModelConfig.Load(dir.Combine("config.json"));
        var expected = ModelConfig.Parse(File.ReadAllText(dir.Combine("config.json")), "text");

        Assert.Equal("bert", loaded.ModelType);
        Assert.Equal(["BertForSequenceClassification"], loaded.Architectures);
        Assert.Equal(expected.Id2Label, loaded.Id2Label);
        Assert.Equal([0, 1], loaded.Id2Label.Keys);
        Assert.Equal(encoding == "invalid byte in a label" ? "ne\uFFFD\u00e9" : "neg\u00e9", loaded.Id2Label[0]);
    }

    [Fact]
    public void MissingFileIsConfigMissing()
    {
        using var dir = Fixtures.NewTempDir();
        var e = Assert.Throws<OnnxBuildException>(() => ModelConfig.Load(dir.Combine("config.json")));
        Assert.Equal(ErrorCodes.ConfigMissing, e.Code);
    }
}
