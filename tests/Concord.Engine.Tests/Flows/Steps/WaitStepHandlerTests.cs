using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Flows.Steps;
using Concord.Testing;

namespace Concord.Engine.Tests.Flows.Steps;

public sealed class WaitStepHandlerTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    private Task<StepOutcome> RunAsync(string args) => new WaitStepHandler(_time).RunAsync(Steps.Run(StepAction.Wait, args), default);

    [Theory]
    [InlineData("10m", "2026-11-22T09:10:00Z")]
    [InlineData("2h", "2026-11-22T11:00:00Z")]
    [InlineData("3d", "2026-11-25T09:00:00Z")]
    [InlineData("90s", "2026-11-22T09:01:30Z")]
    public async Task For_SleepsThatLongFromNow(string duration, string expected)
    {
        var sleep = Assert.IsType<StepOutcome.Sleep>(await RunAsync($$"""{ "for": "{{duration}}" }"""));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), sleep.Until);
        Assert.Equal(expected, (string?)sleep.Output!["until"]);
    }

    [Theory]
    [InlineData("2026-11-23T08:30:00+01:00", "2026-11-23T07:30:00Z")]
    [InlineData("2026-11-23T08:30:00Z", "2026-11-23T08:30:00Z")]
    [InlineData("2026-11-23T08:30:00", "2026-11-23T08:30:00Z")]
    [InlineData("2026-12-01", "2026-12-01T00:00:00Z")]
    public async Task Until_SleepsToThatMoment_ReadInUtcWhenNoOffsetIsGiven(string until, string expected)
    {
        var sleep = Assert.IsType<StepOutcome.Sleep>(await RunAsync($$"""{ "until": "{{until}}" }"""));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), sleep.Until);
        Assert.Equal(expected, (string?)sleep.Output!["until"]);
    }

    [Fact]
    public async Task APastMoment_CompletesAtOnce()
    {
        var output = Steps.Output(await RunAsync("""{ "until": "2026-11-22T08:59:59Z" }"""));

        Assert.Equal("2026-11-22T08:59:59Z", (string?)output["until"]);
    }

    [Theory]
    [InlineData("""{ "for": "ten minutes" }""", "for must be a duration")]
    [InlineData("""{ "for": "0s" }""", "for must be a duration")]
    [InlineData("""{ "for": "-5m" }""", "for must be a duration")]
    [InlineData("""{ "until": "next tuesday" }""", "until must be an ISO 8601 date-time")]
    [InlineData("""{ "until": "" }""", "until must be an ISO 8601 date-time")]
    [InlineData("""{ }""", "needs for")]
    [InlineData("""{ "for": "5m", "until": "2026-12-01" }""", "not both")]
    public async Task ArgumentsThatCannotWork_FailForGood(string args, string message)
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(args));

        Assert.False(failed.Retryable);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
        Assert.StartsWith("step 'step_1':", failed.Message, StringComparison.Ordinal);
    }
}
