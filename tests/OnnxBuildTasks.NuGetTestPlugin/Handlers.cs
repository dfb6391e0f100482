using NuGet.Protocol.Plugins;

namespace OnnxBuildTasks.NuGetTestPlugin;

/// <summary>Answers one request method with <paramref name="answer"/>.</summary>
internal sealed class Handler<TRequest, TResponse>(Func<TRequest, TResponse> answer) : IRequestHandler
    where TRequest : class
    where TResponse : class
{
    public CancellationToken CancellationToken => CancellationToken.None;

    public Task HandleResponseAsync(IConnection connection, Message message, IResponseHandler responseHandler, CancellationToken cancellationToken) =>
        responseHandler.SendResponseAsync(message, answer(MessageUtilities.DeserializePayload<TRequest>(message)!), cancellationToken);
}

/// <summary>The client's Close request: the plugin exits.</summary>
internal sealed class CloseHandler(TaskCompletionSource exit) : IRequestHandler
{
    public CancellationToken CancellationToken => CancellationToken.None;

    public Task HandleResponseAsync(IConnection connection, Message message, IResponseHandler responseHandler, CancellationToken cancellationToken)
    {
        exit.TrySetResult();
        return Task.CompletedTask;
    }
}
