namespace OnnxBuildTasks.Hub;

/// <summary>How often and how patiently transient Hub failures are retried.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts per request or download, the first included [5].</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay before the second attempt; doubles each time [0.5 s].</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound for one delay, also for a server's Retry-After [20 s].</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A download with no bytes arriving for this long is broken off and resumed [60 s].</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1.</summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        var backoff = BaseDelay * Math.Pow(2, attempt - 1);
        var d = retryAfter is { } r && r > backoff ? r : backoff;
        return d > MaxDelay ? MaxDelay : d;
    }
}
