using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// The tokenizer classes <see cref="SampleText"/> supports, by transformers' tokenizer_class: which
/// Microsoft.ML.Tokenizers tokenizer reads which files, and the special tokens put around a text.
/// Classes not listed (e.g. XLMTokenizer's Moses + BPE, T5/Llama SentencePiece) fall back to generated ids.
/// </summary>
internal static class SampleTextFamilies
{
    /// <summary>Builds the tokenizer from a folder, or returns null with the reason.</summary>
    internal delegate SampleText? Builder(string folder, TokenizerConfig config, out string reason);

    /// <summary>Supported tokenizer classes (without "Fast").</summary>
    public static readonly IReadOnlyDictionary<string, Builder> Builders = new Dictionary<string, Builder>(StringComparer.Ordinal)
    {
        ["BertTokenizer"] = WordPiece,
        ["DistilBertTokenizer"] = WordPiece,
        ["ElectraTokenizer"] = WordPiece,
        ["MPNetTokenizer"] = WordPiece,
        ["RobertaTokenizer"] = (string f, TokenizerConfig c, out string r) => ByteLevelBpe(f, c, wrap: true, out r),
        ["BartTokenizer"] = (string f, TokenizerConfig c, out string r) => ByteLevelBpe(f, c, wrap: true, out r),
        ["GPT2Tokenizer"] = (string f, TokenizerConfig c, out string r) => ByteLevelBpe(f, c, wrap: false, out r),
        ["AlbertTokenizer"] = Albert,
        ["XLMRobertaTokenizer"] = XlmRoberta,
    };

    private static SampleText? WordPiece(string folder, TokenizerConfig config, out string reason)
    {
        if (!Has(folder, out reason, "vocab.txt")) return null;
        bool lower = config.Flag("do_lower_case") ?? true;
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lower,
            // transformers strips accents when strip_accents is unset and the text is lower-cased.
            RemoveNonSpacingMarks = config.Flag("strip_accents") ?? lower,
            IndividuallyTokenizeCjk = config.Flag("tokenize_chinese_chars") ?? true,
            ApplyBasicTokenization = config.Flag("do_basic_tokenize") ?? true,
            UnknownToken = config.Token("unk_token") ?? "[UNK]",
            ClassificationToken = config.Token("cls_token") ?? "[CLS]",
            SeparatorToken = config.Token("sep_token") ?? "[SEP]",
            PaddingToken = config.Token("pad_token") ?? "[PAD]",
            MaskingToken = config.Token("mask_token") ?? "[MASK]",
        };
        var tokenizer = BertTokenizer.Create(Path.Combine(folder, "vocab.txt"), options);
        return new SampleText($"wordpiece ({config.TokenizerClass})",
            text => tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true),
            tokenizer.ClassificationTokenId, tokenizer.SeparatorTokenId, tokenizer.PaddingTokenId);
    }

    // GPT-2's pre-tokenization: contractions, then runs of letters, digits or other symbols each with an optional leading space.
    private static readonly Regex ByteLevelWords = new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled);

    private static SampleText? ByteLevelBpe(string folder, TokenizerConfig config, bool wrap, out string reason)
    {
        if (!Has(folder, out reason, "vocab.json", "merges.txt")) return null;
        var tokenizer = BpeTokenizer.Create(new BpeOptions(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"))
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(ByteLevelWords, specialTokens: null),
            UnknownToken = config.Token("unk_token"),
        });
        var prefixSpace = config.Flag("add_prefix_space") == true ? " " : "";
        var ids = tokenizer.Vocabulary;
        int? prefix = null, suffix = null;
        if (wrap && (!TryId(ids, config.Token("cls_token") ?? config.Token("bos_token"), out prefix, ref reason)
                  || !TryId(ids, config.Token("sep_token") ?? config.Token("eos_token"), out suffix, ref reason)))
            return null;
        if (!TryId(ids, config.Token("pad_token") ?? config.Token("eos_token"), out var pad, ref reason)) return null;
        return new SampleText($"byte-level BPE ({config.TokenizerClass})", text => tokenizer.EncodeToIds(prefixSpace + text), prefix, suffix, pad!.Value);
    }

    private static SampleText? Albert(string folder, TokenizerConfig config, out string reason)
    {
        if (!Has(folder, out reason, "spiece.model")) return null;
        var model = SentencePieceModelPatch.WithSentencePieces(File.ReadAllBytes(Path.Combine(folder, "spiece.model")),
            config.Token("bos_token") ?? "[CLS]", config.Token("eos_token") ?? "[SEP]", out var pieces);
        var tokenizer = LoadSentencePiece(model, "spiece.model");
        var ids = pieces.Select((piece, id) => (piece, id)).DistinctBy(p => p.piece).ToDictionary(p => p.piece, p => p.id, StringComparer.Ordinal);
        if (!TryId(ids, config.Token("cls_token") ?? "[CLS]", out var cls, ref reason)
            || !TryId(ids, config.Token("sep_token") ?? "[SEP]", out var sep, ref reason)
            || !TryId(ids, config.Token("pad_token") ?? "<pad>", out var pad, ref reason))
            return null;
        bool removeSpace = config.Flag("remove_space") ?? true, keepAccents = config.Flag("keep_accents") ?? false, lower = config.Flag("do_lower_case") ?? true;
        return new SampleText("sentencepiece (AlbertTokenizer)",
            text => tokenizer.EncodeToIds(AlbertPreprocess(text, removeSpace, keepAccents, lower)), cls, sep, pad!.Value);
    }

    // fairseq's dictionary puts <s>, <pad>, </s>, <unk> first and shifts every other SentencePiece id by one.
    private const int FairseqOffset = 1, FairseqBos = 0, FairseqPad = 1, FairseqEos = 2, FairseqUnk = 3;

    private static SampleText? XlmRoberta(string folder, TokenizerConfig config, out string reason)
    {
        if (!Has(folder, out reason, "sentencepiece.bpe.model")) return null;
        var tokenizer = LoadSentencePiece(File.ReadAllBytes(Path.Combine(folder, "sentencepiece.bpe.model")), "sentencepiece.bpe.model");
        int unknown = tokenizer.UnknownId;
        return new SampleText("sentencepiece with fairseq ids (XLMRobertaTokenizer)",
            text => tokenizer.EncodeToIds(text).Select(id => id == unknown ? FairseqUnk : id + FairseqOffset).ToList(),
            FairseqBos, FairseqEos, FairseqPad);
    }

    private static SentencePieceTokenizer LoadSentencePiece(byte[] model, string fileName)
    {
        using var stream = new MemoryStream(model, writable: false);
        try { return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false); }
        catch (IndexOutOfRangeException e)
        {
            // Microsoft.ML.Tokenizers 2.0.1 fails this way on some Unigram models (e.g. small ALBERT vocabularies).
            throw new InvalidDataException($"Microsoft.ML.Tokenizers cannot load {fileName}: {e.Message}", e);
        }
    }

    // AlbertTokenizer's preprocess_text: collapse whitespace, drop accents (NFKD, then no combining marks), lower-case.
    private static string AlbertPreprocess(string text, bool removeSpace, bool keepAccents, bool lower)
    {
        if (removeSpace) text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (!keepAccents)
            text = string.Concat(text.Normalize(NormalizationForm.FormKD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark));
        return lower ? text.ToLowerInvariant() : text;
    }

    private static bool Has(string folder, out string reason, params string[] files)
    {
        var missing = files.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        reason = missing.Count == 0 ? "" : $"{string.Join(" and ", missing)} missing in '{folder}'";
        return missing.Count == 0;
    }

    private static bool TryId(IReadOnlyDictionary<string, int> vocabulary, string? token, out int? id, ref string reason)
    {
        id = token is not null && vocabulary.TryGetValue(token, out var found) ? found : null;
        if (id is null) reason = $"special token '{token ?? "(none)"}' is not in the vocabulary";
        return id is not null;
    }
}
