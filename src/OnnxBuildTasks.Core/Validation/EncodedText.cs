namespace OnnxBuildTasks.Validation;

/// <summary>
/// Texts tokenized into a right-padded batch: <see cref="Rows"/> rows of <see cref="Length"/> ids each
/// (row-major), with the attention mask 1 over real tokens and 0 over padding.
/// </summary>
/// <param name="Rows">Number of texts.</param>
/// <param name="Length">Tokens per row: the longest text's, special tokens included.</param>
/// <param name="InputIds">Ids, rows * length.</param>
/// <param name="AttentionMask">1 for a token, 0 for padding, rows * length.</param>
public sealed record EncodedText(int Rows, int Length, long[] InputIds, long[] AttentionMask);
