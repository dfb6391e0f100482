using System.Reflection;
using System.Text.RegularExpressions;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tests;

/// <summary>Keeps the code catalogue sound and README.md's error table in step with it.</summary>
public class ErrorCodesTests
{
    private static readonly (string Name, string Code)[] Codes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
        .ToArray();

    [Fact]
    public void EveryCodeIsWellFormedAndUnique()
    {
        Assert.NotEmpty(Codes);
        Assert.All(Codes, c => Assert.Matches(new Regex("^OBT[0-6][0-9]{3}$"), c.Code));
        var duplicates = Codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key + ": " + string.Join(", ", g.Select(c => c.Name)));
        Assert.Empty(duplicates);
    }

    [Fact]
    public void ReadmeListsEveryCode()
    {
        var root = typeof(ErrorCodesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var missing = Codes.Where(c => !readme.Contains($"| `{c.Code}` |", StringComparison.Ordinal)).Select(c => c.Code + " (" + c.Name + ")");
        Assert.True(!missing.Any(), "README.md lacks these codes; regenerate its table with eng/error-codes.sh: " + string.Join(", ", missing));
    }
}
