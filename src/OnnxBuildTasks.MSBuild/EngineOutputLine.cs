using System.Text.RegularExpressions;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>
    /// One line the engine printed, recognised as a canonical MSBuild diagnostic
    /// (<c>origin: error OBT1234: text</c>) or not.
    /// </summary>
    internal sealed class EngineOutputLine
    {
        private static readonly Regex Canonical = new Regex(
            @"^\s*(?:(?<origin>.+?):\s+)?(?<category>error|warning)\s+(?<code>OBT\d{4})\s*:\s*(?<text>.*)$",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private EngineOutputLine(bool isError, string? origin, string code, string text)
        {
            IsError = isError;
            Origin = origin;
            Code = code;
            Text = text;
        }

        /// <summary>True for errors, false for warnings.</summary>
        public bool IsError { get; }

        /// <summary>The file the diagnostic points at (the project), or null.</summary>
        public string? Origin { get; }

        /// <summary>The OBT code.</summary>
        public string Code { get; }

        /// <summary>The message.</summary>
        public string Text { get; }

        /// <summary>The diagnostic on this line, or null when it is ordinary output.</summary>
        public static EngineOutputLine? TryParse(string line)
        {
            var match = Canonical.Match(line);
            if (!match.Success) return null;
            var origin = match.Groups["origin"].Success ? match.Groups["origin"].Value : null;
            return new EngineOutputLine(match.Groups["category"].Value == "error", origin, match.Groups["code"].Value, match.Groups["text"].Value);
        }
    }
}
