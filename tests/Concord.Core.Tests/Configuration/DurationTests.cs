using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

public class DurationTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "250ms", TimeSpan.FromMilliseconds(250) },
        { "30s", TimeSpan.FromSeconds(30) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "2h", TimeSpan.FromHours(2) },
        { "30d", TimeSpan.FromDays(30) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "0s", TimeSpan.Zero },
        { "  10s ", TimeSpan.FromSeconds(10) },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void TryParse_WrittenWithAUnit_ReturnsTheDuration(string text, TimeSpan expected)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("10 s")]
    [InlineData("10S")]
    [InlineData("-5s")]
    [InlineData("1.2.3s")]
    [InlineData("ten seconds")]
    [InlineData("PT30S")]
    public void TryParse_WithoutANumberAndAKnownUnit_ReturnsFalse(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, 0, 0, 250, "250ms")]
    [InlineData(0, 0, 30, 0, "30s")]
    [InlineData(0, 0, 90, 0, "90s")]
    [InlineData(0, 5, 0, 0, "5m")]
    [InlineData(2, 0, 0, 0, "2h")]
    [InlineData(48, 0, 0, 0, "2d")]
    [InlineData(36, 0, 0, 0, "36h")]
    public void Format_UsesTheLargestWholeUnit(int hours, int minutes, int seconds, int milliseconds, string expected)
    {
        var value = new TimeSpan(0, hours, minutes, seconds, milliseconds);

        Assert.Equal(expected, Duration.Format(value));
    }

    [Theory]
    [InlineData("250ms")]
    [InlineData("45s")]
    [InlineData("90m")]
    [InlineData("7d")]
    public void Format_ThenTryParse_GivesTheSameDuration(string text)
    {
        Assert.True(Duration.TryParse(text, out var parsed));
        Assert.True(Duration.TryParse(Duration.Format(parsed), out var again));
        Assert.Equal(parsed, again);
    }
}
