namespace OnnxBuildTasks.Export.Architectures;

/// <summary>One step of a task head, applied to the encoder output. Heads are arrays of steps declared per architecture.</summary>
public abstract record HeadStep;

/// <summary>Keeps the first token: [batch, sequence, hidden] -> [batch, hidden].</summary>
public sealed record FirstToken : HeadStep;

/// <summary>
/// transformers' SequenceSummary (XLM, ELECTRA multiple choice): pools the sequence as config.json's summary_type says
/// (first, last, mean; cls_index without an index is the last token), projects through "<c>Module</c>.summary" when
/// summary_use_proj is true (the default), then applies summary_activation (the class default when the key is absent).
/// </summary>
public sealed record SequenceSummary(string Module, string? DefaultActivation) : HeadStep;

/// <summary>A Linear module: "<c>Module</c>.weight" [out, in] (and "<c>Module</c>.bias" unless <c>Bias</c> is false).</summary>
public sealed record Dense(string Module, bool Bias = true) : HeadStep;

/// <summary>An activation: a name transformers uses ("tanh", "relu", "gelu", …), or the value of a config key when <c>FromConfig</c> is set (null value = identity).</summary>
public sealed record Activation(string Name, bool FromConfig = false) : HeadStep;

/// <summary>A layer norm module (weight, bias) with the config's epsilon.</summary>
public sealed record Norm(string Module) : HeadStep;

/// <summary>
/// The output projection onto the vocabulary: the word embedding matrix when config.json ties embeddings
/// (shared with the input embedding, no second copy), else "<c>Weight</c>"; plus the bias "<c>BiasName</c>".
/// </summary>
public sealed record VocabularyProjection(string Weight, string BiasName) : HeadStep;
