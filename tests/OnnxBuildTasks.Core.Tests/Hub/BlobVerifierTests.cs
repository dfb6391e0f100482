using OnnxBuildTasks.Hub;

namespace OnnxBuildTasks.Tests.Hub;

public class BlobVerifierTests
{
    [Fact]
    public void HashesMatchGitAndSha256KnownValues()
    {
        using var dir = Fixtures.NewTempDir();
        var path = dir.Combine("hello");
        File.WriteAllText(path, "hello\n");

        var (sha256, gitSha1) = BlobVerifier.Hash(path);

        Assert.Equal("ce013625030ba8dba906f756967f9e9ca394464a", gitSha1);   // `git hash-object` of "hello\n"
        Assert.Equal("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", sha256);
        Assert.True(BlobVerifier.Matches(path, ExpectedHash.FromEtag("\"ce013625030ba8dba906f756967f9e9ca394464a\"")!.Value));
        Assert.False(BlobVerifier.Matches(path, new ExpectedHash(HashKind.Sha256, new string('0', 64))));
    }

    [Theory]
    [InlineData("W/\"ce013625030ba8dba906f756967f9e9ca394464a\"", HashKind.GitSha1)]
    [InlineData("\"5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03\"", HashKind.Sha256)]
    public void EtagsAreNormalised(string etag, HashKind kind)
    {
        var h = ExpectedHash.FromEtag(etag)!.Value;
        Assert.Equal(kind, h.Kind);
        Assert.Equal(h.Hex.ToLowerInvariant(), h.Hex);
    }

    [Fact]
    public void OtherEtagsAreNotHashes() => Assert.Null(ExpectedHash.FromEtag("\"abc-123\""));
}
