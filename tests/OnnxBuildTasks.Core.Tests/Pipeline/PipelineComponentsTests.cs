using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Tests.Pipeline;

public class PipelineComponentsTests
{
    [Fact]
    public void LocalResolversComeFirstSoAnExistingPathWinsOverAnyRemoteKind()
    {
        var resolvers = PipelineComponents.CreateDefault().SourceResolvers;
        Assert.IsType<LocalOnnxFileResolver>(resolvers[0]);
        Assert.IsType<LocalCheckpointResolver>(resolvers[1]);
    }

    [Fact]
    public void EachResolverTypeIsRegisteredOnce()
    {
        var types = PipelineComponents.CreateDefault().SourceResolvers.Select(r => r.GetType()).ToList();
        Assert.Equal(types.Count, types.Distinct().Count());
    }

    [Fact]
    public void EveryResolverInCoreIsRegistered()
    {
        // A resolver written but not registered in CreateDefault() would never run (EXTENDING.md, step 2).
        var declared = typeof(ISourceResolver).Assembly.GetTypes()
            .Where(t => typeof(ISourceResolver).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false });
        var registered = PipelineComponents.CreateDefault().SourceResolvers.Select(r => r.GetType());
        Assert.Empty(declared.Except(registered));
    }
}
