namespace OnnxBuildTasks.Export.Tasks;

/// <summary>The optimum task names the encoder exporter supports, with their inputs and outputs.</summary>
public static class ExportTasks
{
    public const string FeatureExtraction = "feature-extraction";
    public const string FillMask = "fill-mask";
    public const string TextClassification = "text-classification";
    public const string TokenClassification = "token-classification";
    public const string QuestionAnswering = "question-answering";
    public const string MultipleChoice = "multiple-choice";

    /// <summary>Every supported task, in optimum's order.</summary>
    public static readonly string[] All = [FeatureExtraction, FillMask, TextClassification, TokenClassification, QuestionAnswering, MultipleChoice];

    // Other spellings optimum and transformers.onnx accept for the same task.
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = FeatureExtraction,
        ["masked-lm"] = FillMask,
        ["sequence-classification"] = TextClassification,
        ["sentiment-analysis"] = TextClassification,
        ["zero-shot-classification"] = TextClassification,
        ["token-classification"] = TokenClassification,
        ["ner"] = TokenClassification,
        ["sentence-similarity"] = FeatureExtraction,
    };

    /// <summary>The canonical task name for <paramref name="task"/>, or null when unknown.</summary>
    public static string? Normalize(string task)
    {
        string t = task.Trim();
        if (All.Contains(t, StringComparer.OrdinalIgnoreCase)) return t.ToLowerInvariant();
        return Synonyms.TryGetValue(t, out var canonical) ? canonical : null;
    }

    /// <summary>Whether inputs carry the extra num_choices axis.</summary>
    public static bool HasChoices(string task) => task == MultipleChoice;
}
