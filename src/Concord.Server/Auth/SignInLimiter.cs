namespace Concord.Server.Auth;

/// <summary>
/// Slows down password guessing at the dashboard's sign-in. Within <see cref="Window"/>, after
/// <see cref="PerNameAndAddress"/> failed sign-ins for one user name from one client address, after
/// <see cref="PerAddress"/> from one address (whatever the names), or after <see cref="PerName"/> for one name from
/// all addresses together, further attempts that would add to that count are refused without checking the password
/// until the oldest failure that counts is older than the window. A successful sign-in clears the name's failures from
/// that address (a person who mistyped their own password starts afresh; guesses at other names from the same address,
/// and at the name from elsewhere, still count).
/// </summary>
/// <remarks>
/// The name is counted per address so that somebody who knows a user's name cannot keep that user out from an address
/// of their own: their failures refuse the name only where they come from. The name-wide limit is far higher, so that
/// it takes many addresses to reach it, and still caps a guess at one password spread over many addresses. The address
/// allows more failures than a name from it because one address may be many people: the proxy the documentation puts
/// in front of the hub, or an office behind one router. A connection without an address counts as one address.
/// Refusing a name is the same for a name that exists and one that does not, and costs no hash, so neither the answer
/// nor its timing tells them apart. Kept in memory: a restart forgets it, which costs an attacker a restart they
/// cannot cause.
/// </remarks>
public sealed class SignInLimiter(TimeProvider time)
{
    /// <summary>Failures for one name from one address.</summary>
    public const int PerNameAndAddress = 5;

    /// <summary>Failures from one address, for any names.</summary>
    public const int PerAddress = 20;

    /// <summary>Failures for one name from every address together.</summary>
    public const int PerName = 100;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(DateTimeOffset At, string Address)>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateTimeOffset At, string Name)>> _addresses = new(StringComparer.Ordinal);

    /// <summary>How long until a sign-in as <paramref name="name"/> from <paramref name="address"/> is checked again; null when it may be now.</summary>
    public TimeSpan? RetryAfter(string name, string? address)
    {
        var now = time.GetUtcNow();
        var from = address ?? "";
        lock (_lock)
        {
            var byName = _names.TryGetValue(Key(name), out var n) ? n : [];
            var byAddress = _addresses.TryGetValue(from, out var a) ? a : [];
            TimeSpan?[] waits =
            [
                Wait(byName.Where(f => f.Address == from).Select(f => f.At).ToList(), PerNameAndAddress, now),
                Wait(byAddress.Select(f => f.At).ToList(), PerAddress, now),
                Wait(byName.Select(f => f.At).ToList(), PerName, now),
            ];
            return waits.Max();
        }
    }

    public void Failed(string name, string? address)
    {
        var now = time.GetUtcNow();
        var from = address ?? "";
        lock (_lock)
        {
            Forget(now);
            var key = Key(name);
            (_names.TryGetValue(key, out var n) ? n : _names[key] = []).Add((now, from));
            (_addresses.TryGetValue(from, out var a) ? a : _addresses[from] = []).Add((now, key));
        }
    }

    public void Succeeded(string name, string? address)
    {
        var from = address ?? "";
        lock (_lock)
        {
            var key = Key(name);
            if (_names.TryGetValue(key, out var n))
            {
                n.RemoveAll(f => f.Address == from);
                if (n.Count == 0)
                {
                    _names.Remove(key);
                }
            }

            if (_addresses.TryGetValue(from, out var a))
            {
                a.RemoveAll(f => f.Name == key);
                if (a.Count == 0)
                {
                    _addresses.Remove(from);
                }
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
            failures.RemoveAll(f => now - f.At >= Window);
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
