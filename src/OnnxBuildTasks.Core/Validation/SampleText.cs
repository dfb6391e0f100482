using System.Text.Json;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// A checkpoint's tokenizer (built with Microsoft.ML.Tokenizers from its tokenizer files, see
/// <see cref="SampleTextFamilies"/>) and the special tokens its model expects around a text, used to feed
/// validation real tokenized text instead of generated ids.
/// </summary>
public sealed class SampleText
{
    /// <summary>The two sentences tokenized for validation runs.</summary>
    public static readonly IReadOnlyList<string> Texts = ["The quick brown fox jumps over the lazy dog near the river.", "Hello world!"];

    /// <summary>Longest row produced by default, special tokens included (longer texts are truncated).</summary>
    public const int DefaultMaxLength = 32;

    private readonly Func<string, IReadOnlyList<int>> _encode;
    private readonly int? _prefixId;
    private readonly int? _suffixId;

    internal SampleText(string family, Func<string, IReadOnlyList<int>> encode, int? prefixId, int? suffixId, int padId)
    {
        Family = family;
        _encode = encode;
        _prefixId = prefixId;
        _suffixId = suffixId;
        PadId = padId;
    }

    /// <summary>The tokenizer family used, e.g. "wordpiece (BertTokenizer)".</summary>
    public string Family { get; }

    /// <summary>The id padding positions get.</summary>
    public int PadId { get; }

    /// <summary>
    /// The tokenizer of the checkpoint in <paramref name="folder"/>, or null with the reason when it has
    /// no tokenizer files, its tokenizer class is not supported or its files cannot be read.
    /// </summary>
    public static SampleText? TryCreate(string folder, out string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        TokenizerConfig? config;
        try { config = TokenizerConfig.Read(folder); }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            reason = $"tokenizer_config.json in '{folder}' cannot be read ({e.Message})";
            return null;
        }
        if (config is null)
        {
            reason = $"no tokenizer_config.json in '{folder}'";
            return null;
        }
        if (config.TokenizerClass is null || !SampleTextFamilies.Builders.TryGetValue(config.TokenizerClass, out var build))
        {
            reason = $"tokenizer class '{config.TokenizerClass ?? "(none)"}' is not supported for sample text";
            return null;
        }
        try
        {
            var text = build(folder, config, out reason);
            if (text is not null) reason = "";
            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException or JsonException or InvalidDataException or Google.Protobuf.InvalidProtocolBufferException)
        {
            reason = $"the {config.TokenizerClass} files in '{folder}' cannot be loaded ({e.Message})";
            return null;
        }
    }

    /// <summary>
    /// Tokenizes <paramref name="texts"/> as the model's tokenizer does for single sequences: special
    /// tokens around each text, truncated to <paramref name="maxLength"/> tokens, padded on the right to
    /// the longest row (or to <paramref name="padTo"/> when given).
    /// </summary>
    public EncodedText Encode(IReadOnlyList<string> texts, int maxLength = DefaultMaxLength, int? padTo = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        int special = (_prefixId is null ? 0 : 1) + (_suffixId is null ? 0 : 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, special + 1);
        var rows = texts.Select(t =>
        {
            var row = new List<long>();
            if (_prefixId is int p) row.Add(p);
            row.AddRange(_encode(t).Take(maxLength - special).Select(id => (long)id));
            if (_suffixId is int s) row.Add(s);
            return row;
        }).ToList();
        int length = Math.Max(padTo ?? 0, rows.Max(r => r.Count));
        var ids = new long[rows.Count * length];
        var mask = new long[rows.Count * length];
        for (int r = 0; r < rows.Count; r++)
            for (int i = 0; i < length; i++)
            {
                bool real = i < rows[r].Count;
                ids[r * length + i] = real ? rows[r][i] : PadId;
                mask[r * length + i] = real ? 1 : 0;
            }
        return new EncodedText(rows.Count, length, ids, mask);
    }
}
