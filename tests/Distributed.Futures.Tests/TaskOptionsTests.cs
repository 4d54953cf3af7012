namespace Distributed.Futures.Tests;

/// <summary>What <see cref="TaskOptions"/> accepts and how it compares, apart from any executor.</summary>
public sealed class TaskOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Timeout_ZeroOrNegative_IsRejectedNamingTheOption(int milliseconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) });
        Assert.Equal(nameof(TaskOptions.Timeout), error.ParamName);
    }

    [Fact]
    public void Timeout_LongerThanTheTimersCanCount_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { Timeout = TimeSpan.FromDays(30) });

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void MaxRetries_OutOfRange_IsRejectedNamingTheOption(int retries)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { MaxRetries = retries });
        Assert.Equal(nameof(TaskOptions.MaxRetries), error.ParamName);
    }

    [Fact]
    public void RetryOn_NotAnExceptionType_IsRejectedNamingTheType()
    {
        var error = Assert.Throws<ArgumentException>(() => new TaskOptions { RetryOn = [typeof(string)] });
        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new TaskOptions { RetryOn = [null!] });
        Assert.Throws<ArgumentNullException>(() => new TaskOptions { RetryOn = null! });
    }

    [Fact]
    public void ShouldRetry_MatchesListedTypesAndTheirSubtypes()
    {
        var options = new TaskOptions { RetryOn = [typeof(IOException), typeof(TimeoutException)] };

        Assert.True(options.ShouldRetry(new IOException()));
        Assert.True(options.ShouldRetry(new FileNotFoundException()));
        Assert.True(options.ShouldRetry(new TimeoutException()));
        Assert.False(options.ShouldRetry(new InvalidOperationException()));
        Assert.False(TaskOptions.Default.ShouldRetry(new IOException()));
    }

    [Fact]
    public void RetryOn_IsCopied_SoChangingTheCallersListChangesNothing()
    {
        var types = new List<Type> { typeof(IOException) };
        var options = new TaskOptions { RetryOn = types };
        types.Add(typeof(InvalidOperationException));

        Assert.False(options.ShouldRetry(new InvalidOperationException()));
    }

    [Fact]
    public void Equality_ComparesValues_IncludingTheRetryList()
    {
        var a = new TaskOptions { Priority = 2, MaxRetries = 1, RetryOn = [typeof(IOException)], Timeout = TimeSpan.FromSeconds(1) };
        var b = new TaskOptions { Priority = 2, MaxRetries = 1, RetryOn = [typeof(IOException)], Timeout = TimeSpan.FromSeconds(1) };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { RetryOn = [typeof(TimeoutException)] });
        Assert.NotEqual(a, b with { Priority = 3 });
        Assert.Equal(TaskOptions.Default, new TaskOptions());
    }
}
