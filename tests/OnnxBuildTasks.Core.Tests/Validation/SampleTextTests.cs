using System.Text.Json;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class SampleTextTests
{
    // Tokenizer classes SampleText does not reproduce; their fixtures must fall back, not get made-up ids.
    private static readonly HashSet<string> Unsupported = ["XLMTokenizer"];

    /// <summary>Every fixture with tokenizer files whose inputs.json is one right-padded row per manifest text.</summary>
    public static TheoryData<string> SingleTextFixtures() => new(SingleTextFixtureNames());

    private static IEnumerable<string> SingleTextFixtureNames()
    {
        foreach (var folder in Directory.GetDirectories(Fixtures.Path("hf-tiny")).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(System.IO.Path.Combine(folder, "tokenizer_config.json")) || !File.Exists(System.IO.Path.Combine(folder, "inputs.json"))) continue;
            var (texts, paddingSide, _) = ReadManifest(folder);
            if (texts is null || paddingSide != "right") continue;
            if (TensorJson.ReadFile(System.IO.Path.Combine(folder, "inputs.json"))["input_ids"].Shape is [2, _]) yield return System.IO.Path.GetFileName(folder);
        }
    }

    // transformers' slow tokenizer made each fixture's inputs.json from the manifest's texts (truncated to the fixture's
    // length): supported tokenizers must give exactly those ids and masks, unsupported ones must give none.
    [Theory]
    [MemberData(nameof(SingleTextFixtures))]
    public void TokenizingTheManifestTextsGivesTheFixtureInputs(string fixture)
    {
        var folder = Fixtures.Path("hf-tiny", fixture);
        var (texts, _, tokenizerClass) = ReadManifest(folder);
        var inputs = TensorJson.ReadFile(System.IO.Path.Combine(folder, "inputs.json"));
        var expectedIds = inputs["input_ids"];

        var text = SampleText.TryCreate(folder, out var reason);

        if (Unsupported.Contains(tokenizerClass))
        {
            Assert.Null(text);
            Assert.Contains(tokenizerClass, reason);
            return;
        }
        Assert.True(text is not null, reason);
        var encoded = text.Encode(texts!, maxLength: (int)expectedIds.Shape[1]);
        Assert.Equal(expectedIds.Shape, new long[] { encoded.Rows, encoded.Length });
        Assert.Equal((long[])expectedIds.Data, encoded.InputIds);
        Assert.Equal((long[])inputs["attention_mask"].Data, encoded.AttentionMask);
    }

    [Fact]
    public void EveryTokenizerFamilyOfTheFixturesIsCovered()
    {
        var classes = SingleTextFixtureNames().Select(name => ReadManifest(Fixtures.Path("hf-tiny", name)).TokenizerClass).ToHashSet();

        Assert.Superset(new HashSet<string> { "BertTokenizer", "DistilBertTokenizer", "ElectraTokenizer", "MPNetTokenizer", "RobertaTokenizer",
            "GPT2Tokenizer", "AlbertTokenizer", "XLMRobertaTokenizer", "XLMTokenizer" }, classes);
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

    // The manifest's texts when they are single sentences (null for sentence pairs), padding side and tokenizer class.
    private static (string[]? Texts, string? PaddingSide, string TokenizerClass) ReadManifest(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(folder, "manifest.json")));
        var root = manifest.RootElement;
        var texts = root.GetProperty("texts");
        bool single = texts.ValueKind == JsonValueKind.Array && texts.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String);
        return (single ? texts.EnumerateArray().Select(t => t.GetString()!).ToArray() : null,
            root.TryGetProperty("padding_side", out var side) && side.ValueKind == JsonValueKind.String ? side.GetString() : null,
            root.TryGetProperty("tokenizer_class", out var cls) && cls.ValueKind == JsonValueKind.String ? cls.GetString()! : "");
    }
}
