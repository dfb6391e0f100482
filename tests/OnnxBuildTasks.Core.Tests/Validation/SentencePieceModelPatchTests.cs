using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class SentencePieceModelPatchTests
{
    [Fact]
    public void AModelWithoutSentencePiecesGetsTheNamedOnesAndKeepsItsPieces()
    {
        var original = File.ReadAllBytes(Fixtures.Path("hf-tiny", "albert-fill-mask", "spiece.model"));

        var patched = SentencePieceModelPatch.WithSentencePieces(original, "[CLS]", "[SEP]", out var pieces);

        Assert.NotEqual(original, patched);
        Assert.Equal(2, pieces.ToList().IndexOf("[CLS]"));
        Assert.Equal(3, pieces.ToList().IndexOf("[SEP]"));
        // Patching again finds nothing negative left and changes nothing.
        Assert.Equal(patched, SentencePieceModelPatch.WithSentencePieces(patched, "[CLS]", "[SEP]", out var again));
        Assert.Equal(pieces, again);
    }

    [Fact]
    public void AModelThatHasSentencePiecesIsUnchanged()
    {
        var original = File.ReadAllBytes(Fixtures.Path("hf-tiny", "xlm-roberta-fill-mask", "sentencepiece.bpe.model"));

        Assert.Same(original, SentencePieceModelPatch.WithSentencePieces(original, "<s>", "</s>", out var pieces));
        Assert.NotEmpty(pieces);
    }
}
