using System.Globalization;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// One <c>OnnxModel</c> item with its metadata parsed and checked: what the pipeline is asked to
/// produce. Create it with <see cref="Parse"/>, which throws a coded
/// <see cref="OnnxBuildException"/> naming the item for any bad metadata value.
/// </summary>
public sealed record ModelRequest
{
    /// <summary>The item's Include as the user wrote it (a path, Hub id or <c>nuget:</c> reference).</summary>
    public required string ItemSpec { get; init; }

    /// <summary>The folder relative local paths are resolved against (the project's folder).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Optimum task name, or null to infer it from the checkpoint.</summary>
    public string? Task { get; init; }

    /// <summary>Target ONNX opset, or null for the producer's own.</summary>
    public int? Opset { get; init; }

    /// <summary>Branch, tag or commit of a Hub repository, or null for main.</summary>
    public string? Revision { get; init; }

    /// <summary>An .onnx file inside a Hub repo or NuGet package to take as is, or null to export.</summary>
    public string? File { get; init; }

    /// <summary>Folder name under the output models folder.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the validation stage runs.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>Absolute tolerance for validation, or null for the producer's default.</summary>
    public double? Atol { get; init; }

    /// <summary>Weight precision of exports.</summary>
    public ModelPrecision Precision { get; init; }

    /// <summary>ONNX Runtime offline optimization level.</summary>
    public GraphOptimization Optimize { get; init; }

    /// <summary>Weight quantization.</summary>
    public QuantizeMode Quantize { get; init; }

    /// <summary>Whether tokenizer and config files are copied beside the model.</summary>
    public bool IncludeTokenizer { get; init; } = true;

    /// <summary>How messages name the item: <c>OnnxModel 'models/x.onnx'</c>.</summary>
    public string DisplayName => $"OnnxModel '{ItemSpec}'";

    /// <summary>
    /// The item's Include as a local path under <see cref="ProjectDirectory"/> (it may not exist:
    /// Hub ids and <c>nuget:</c> references are not local paths).
    /// </summary>
    public string LocalPath => System.IO.Path.GetFullPath(ItemSpec, ProjectDirectory);

    /// <summary>
    /// Parses an item's metadata (names as in the project file, case-insensitive; empty values mean
    /// "default"). Throws a coded <see cref="OnnxBuildException"/> for the first bad value.
    /// </summary>
    public static ModelRequest Parse(string itemSpec, string projectDirectory, IReadOnlyDictionary<string, string?> metadata)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(itemSpec);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectDirectory);
        ArgumentNullException.ThrowIfNull(metadata);
        var m = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in metadata)
        {
            if (!string.IsNullOrWhiteSpace(value)) m[key] = value.Trim();
        }
        var display = $"OnnxModel '{itemSpec}'";
        string? Get(string key) => m.TryGetValue(key, out var v) ? v : null;

        return new ModelRequest
        {
            ItemSpec = itemSpec,
            ProjectDirectory = projectDirectory,
            Task = ParseTask(Get("Task"), display),
            Opset = ParseOpset(Get("Opset"), display),
            Revision = Get("Revision"),
            File = Get("File"),
            Name = ParseName(Get("Name") ?? DefaultName(itemSpec, Get("File")), display),
            Validate = ParseBool(Get("Validate"), "Validate", true, display),
            Atol = ParseAtol(Get("Atol"), display),
            Precision = ParseEnum(Get("Precision"), "Precision", Precisions, ErrorCodes.PrecisionUnknown, ModelPrecision.Fp32, display),
            Optimize = ParseEnum(Get("Optimize"), "Optimize", Optimizations, ErrorCodes.OptimizeUnknown, GraphOptimization.None, display),
            Quantize = ParseEnum(Get("Quantize"), "Quantize", Quantizations, ErrorCodes.QuantizeUnknown, QuantizeMode.None, display),
            IncludeTokenizer = ParseBool(Get("IncludeTokenizer"), "IncludeTokenizer", true, display),
        };
    }

    /// <summary>
    /// The default <c>Name</c>: the last segment of the path or repo id without an .onnx extension;
    /// for <c>nuget:Id/Version</c>, the package id. The MSBuild targets compute the same value.
    /// </summary>
    public static string DefaultName(string itemSpec, string? file = null)
    {
        var spec = itemSpec.Trim().TrimEnd('/', '\\');
        if (spec.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            var id = spec["nuget:".Length..];
            var slash = id.IndexOf('/');
            return slash < 0 ? id : id[..slash];
        }
        var last = spec[(spec.LastIndexOfAny(['/', '\\']) + 1)..];
        return last.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? last[..^".onnx".Length] : last;
    }

    /// <summary>The optimum task names an item may ask for.</summary>
    public static IReadOnlyList<string> KnownTasks { get; } =
    [
        "feature-extraction", "text-classification", "token-classification", "question-answering",
        "fill-mask", "multiple-choice", "text-generation", "text-generation-with-past",
        "text2text-generation", "text2text-generation-with-past", "image-classification",
    ];

    private static readonly (string Text, ModelPrecision Value)[] Precisions =
        [("fp32", ModelPrecision.Fp32), ("fp16", ModelPrecision.Fp16)];

    private static readonly (string Text, GraphOptimization Value)[] Optimizations =
        [("none", GraphOptimization.None), ("basic", GraphOptimization.Basic), ("extended", GraphOptimization.Extended), ("all", GraphOptimization.All)];

    private static readonly (string Text, QuantizeMode Value)[] Quantizations =
        [("none", QuantizeMode.None), ("dynamic", QuantizeMode.Dynamic)];

    private static string? ParseTask(string? value, string display)
    {
        if (value is null) return null;
        var known = KnownTasks.FirstOrDefault(t => string.Equals(t, value, StringComparison.OrdinalIgnoreCase));
        return known ?? throw new OnnxBuildException(ErrorCodes.TaskUnknown,
            $"{display}: Task '{value}' is not a known task. Use one of: {string.Join(", ", KnownTasks)}; or leave Task empty to infer it from config.json.");
    }

    private static int? ParseOpset(string? value, string display)
    {
        if (value is null) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var opset) && opset is >= 1 and <= 99) return opset;
        throw new OnnxBuildException(ErrorCodes.OpsetInvalid,
            $"{display}: Opset '{value}' is not an opset version. Use a whole number such as 13 or 17, or leave Opset empty.");
    }

    private static string ParseName(string value, string display)
    {
        if (value.Length == 0 || value is "." or ".." || value.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) >= 0
            || value.Any(char.IsControl))
        {
            throw new OnnxBuildException(ErrorCodes.NameInvalid,
                $"{display}: Name '{value}' is not a plain folder name. Set Name to letters, digits, '-', '_' or '.' without path separators.");
        }
        return value;
    }

    private static bool ParseBool(string? value, string metadata, bool fallback, string display)
    {
        if (value is null) return fallback;
        if (bool.TryParse(value, out var b)) return b;
        throw new OnnxBuildException(ErrorCodes.BooleanMetadataInvalid,
            $"{display}: {metadata} '{value}' is not true or false.");
    }

    private static double? ParseAtol(string? value, string display)
    {
        if (value is null) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var atol) && atol > 0 && double.IsFinite(atol)) return atol;
        throw new OnnxBuildException(ErrorCodes.AtolInvalid,
            $"{display}: Atol '{value}' is not a positive number. Use a value such as 1e-4, or leave Atol empty for the default.");
    }

    private static T ParseEnum<T>(string? value, string metadata, (string Text, T Value)[] table, string code, T fallback, string display)
    {
        if (value is null) return fallback;
        foreach (var (text, v) in table)
        {
            if (string.Equals(text, value, StringComparison.OrdinalIgnoreCase)) return v;
        }
        throw new OnnxBuildException(code,
            $"{display}: {metadata} '{value}' is not supported. Use one of: {string.Join(", ", table.Select(t => t.Text))}.");
    }
}
