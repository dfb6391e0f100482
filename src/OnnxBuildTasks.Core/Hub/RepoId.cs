using System.Text.RegularExpressions;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>Hub repo ids (<c>name</c> or <c>org/name</c>) and revision helpers.</summary>
public static partial class RepoId
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.\-]{0,95})?$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    /// <summary>True when <paramref name="spec"/> looks like a Hub repo id.</summary>
    public static bool IsValid(string spec) => Pattern().IsMatch(spec) && !spec.Contains("--") && !spec.Contains("..");

    /// <summary>Throws <see cref="ErrorCodes.SourceRepoIdInvalid"/> unless <paramref name="spec"/> is a valid repo id.</summary>
    public static string Validate(string spec) => IsValid(spec) ? spec : throw new OnnxBuildException(ErrorCodes.SourceRepoIdInvalid,
        $"'{spec}' is not a Hugging Face repo id: use 'name' or 'org/name' (letters, digits, '-', '_', '.'; no '--' or '..').");

    /// <summary>True when <paramref name="revision"/> is a full 40-hex commit sha.</summary>
    public static bool IsCommit(string revision) => CommitPattern().IsMatch(revision);

    /// <summary>The cache folder name huggingface_hub uses: <c>models--org--name</c>.</summary>
    public static string CacheFolderName(string repoId) => "models--" + repoId.Replace("/", "--");
}
