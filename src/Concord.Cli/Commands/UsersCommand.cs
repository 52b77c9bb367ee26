using System.CommandLine;
using Concord.Server.Auth;

namespace Concord.Cli.Commands;

/// <summary><c>concord users add|list</c>: the dashboard's local users.</summary>
internal static class UsersCommand
{
    public static Command Create() => new("users", "Manage the dashboard's users") { AddUser(), ListUsers() };

    private static Command AddUser()
    {
        var config = CommonOptions.Config();
        var name = new Argument<string>("name") { Description = "The name the user signs in with" };
        var role = new Option<string>("--role") { Description = "viewer (reads, personal data masked), operator (also replays, merges, acknowledges) or admin (everything)", Required = true };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input; without it a password is generated and shown once" };
        var command = new Command("add", "Add a dashboard user (only a salted, slow hash of the password is stored)") { config, name, role, fromStdin };
        command.SetAction(async (result, ct) =>
        {
            if (Roles.Parse(result.GetValue(role)!) is not { } parsed)
            {
                Console.Error.WriteLine($"--role must be viewer, operator or admin, not '{result.GetValue(role)}'.");
                return 1;
            }

            var generated = !result.GetValue(fromStdin);
            var password = generated ? DashboardUsers.GeneratePassword() : (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("--password-stdin: standard input had no password.");
                return 1;
            }

            await using var store = await KeysCommand.OpenAsync(result.GetValue(config)!, ct);
            if (store is null)
            {
                return 1;
            }

            var (user, problem) = await new DashboardUsers(store, TimeProvider.System).CreateAsync(result.GetValue(name)!, parsed, password, ct);
            if (user is null)
            {
                Console.Error.WriteLine(problem);
                return 1;
            }

            Console.WriteLine($"Added {user.Name} ({Roles.Name(user.Role)}).");
            if (generated)
            {
                Console.WriteLine("Password (shown only now):");
                Console.WriteLine(password);
            }

            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "List the dashboard's users and their roles") { config };
        command.SetAction(async (result, ct) =>
        {
            await using var store = await KeysCommand.OpenAsync(result.GetValue(config)!, ct);
            if (store is null)
            {
                return 1;
            }

            var users = await store.ListUsersAsync(ct);
            Console.WriteLine(users.Count == 0 ? "No users. Add one with `concord users add NAME --role admin`." : $"{"NAME",-24} {"ROLE",-9} CREATED (UTC)");
            foreach (var u in users)
            {
                Console.WriteLine($"{u.Name,-24} {Roles.Name(u.Role),-9} {u.CreatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)}");
            }

            return 0;
        });
        return command;
    }
}
