namespace Concord.Server.Auth;

/// <summary>
/// Slows down password guessing at the dashboard's sign-in: after <see cref="PerName"/> failed sign-ins for one user
/// name, or <see cref="PerAddress"/> from one client address, within <see cref="Window"/>, further attempts are
/// refused without checking the password until the oldest of those failures is older than the window. A successful
/// sign-in clears the name's failures, and the address's failures for that name (a person who mistyped their own
/// password starts afresh; guesses at other names from the same address still count).
/// </summary>
/// <remarks>
/// The address allows more failures than the name because one address may be many people: the proxy the
/// documentation puts in front of the hub, or an office behind one router. Refusing a name is the same for a name
/// that exists and one that does not, and costs no hash, so neither the answer nor its timing tells them apart.
/// Kept in memory: a restart forgets it, which costs an attacker a restart they cannot cause.
/// </remarks>
public sealed class SignInLimiter(TimeProvider time)
{
    public const int PerName = 5;

    public const int PerAddress = 20;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateTimeOffset At, string Name)>> _addresses = new(StringComparer.Ordinal);

    /// <summary>How long until a sign-in as <paramref name="name"/> from <paramref name="address"/> is checked again; null when it may be now.</summary>
    public TimeSpan? RetryAfter(string name, string? address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var byName = _names.TryGetValue(Key(name), out var n) ? Wait(n, PerName, now) : null;
            var byAddress = address is not null && _addresses.TryGetValue(address, out var a) ? Wait(a.Select(f => f.At).ToList(), PerAddress, now) : null;
            return byName is null ? byAddress : byAddress is null ? byName : (byName > byAddress ? byName : byAddress);
        }
    }

    public void Failed(string name, string? address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Forget(now);
            var key = Key(name);
            (_names.TryGetValue(key, out var n) ? n : _names[key] = []).Add(now);
            if (address is not null)
            {
                (_addresses.TryGetValue(address, out var a) ? a : _addresses[address] = []).Add((now, key));
            }
        }
    }

    public void Succeeded(string name, string? address)
    {
        lock (_lock)
        {
            var key = Key(name);
            _names.Remove(key);
            if (address is not null && _addresses.TryGetValue(address, out var a))
            {
                a.RemoveAll(f => f.Name == key);
            }
        }
    }

    /// <summary>Names compare as the user store compares them: trimmed, without case.</summary>
    private static string Key(string name) => name.Trim().ToUpperInvariant();

    /// <summary>When the failures within the window reach the limit, how long until the oldest that counts leaves it.</summary>
    private static TimeSpan? Wait(IReadOnlyList<DateTimeOffset> failures, int limit, DateTimeOffset now)
    {
        var recent = failures.Where(f => now - f < Window).ToList();
        return recent.Count < limit ? null : recent[recent.Count - limit] + Window - now;
    }

    /// <summary>Drops failures older than the window, so guesses at many names do not grow memory without bound.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, failures) in _names.ToList())
        {
            failures.RemoveAll(f => now - f >= Window);
            if (failures.Count == 0)
            {
                _names.Remove(key);
            }
        }

        foreach (var (key, failures) in _addresses.ToList())
        {
            failures.RemoveAll(f => now - f.At >= Window);
            if (failures.Count == 0)
            {
                _addresses.Remove(key);
            }
        }
    }
}
