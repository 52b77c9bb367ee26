using Concord.Core.Flows.Model;

namespace Concord.Core.Configuration;

/// <summary>What an argument of a step action is written as.</summary>
internal enum ArgumentShape
{
    /// <summary>A plain name checked against the rest of the file (a type, a system, a table); not a template.</summary>
    Name,

    /// <summary>Text with <c>{{ … }}</c> parts, rendered when the step runs.</summary>
    Template,

    /// <summary>A mapping whose values are templates (or nested values), e.g. <c>fields:</c>.</summary>
    Mapping,

    /// <summary>One field name or a list of them.</summary>
    Names,

    Boolean,

    /// <summary>A fixed duration such as <c>30s</c>.</summary>
    Duration,

    /// <summary>HTTP status codes: one or a list.</summary>
    Statuses,

    /// <summary><c>delivered</c> or <c>none</c>.</summary>
    Await,

    /// <summary>An HTTP method.</summary>
    Method,

    /// <summary>Any value; strings in it are templates.</summary>
    Any,
}

/// <summary>One action a step can take: its key in <c>concord.yaml</c>, its arguments and which are required.</summary>
/// <param name="Action">The action.</param>
/// <param name="Key">Its key in a step (<c>find_or_create</c>).</param>
/// <param name="Arguments">The arguments it knows, each with what it is written as.</param>
/// <param name="Required">The arguments it must have.</param>
/// <param name="Open">Arguments beyond <paramref name="Arguments"/> are allowed (a notify's depend on the system's kind).</param>
/// <param name="OneOf">Groups of arguments of which exactly one must be written.</param>
internal sealed record ActionSpec(
    StepAction Action,
    string Key,
    IReadOnlyDictionary<string, ArgumentShape> Arguments,
    IReadOnlyList<string> Required,
    bool Open = false,
    IReadOnlyList<string[]>? OneOf = null)
{
    /// <summary>Writes golden records (and so can trigger other flows).</summary>
    public bool Writes => Action is StepAction.FindOrCreate or StepAction.Create or StepAction.Update or StepAction.Upsert or StepAction.Set;

    /// <summary>Works on golden records of a <c>type</c>.</summary>
    public bool IsRecordAction => Writes || Action == StepAction.Find;
}

/// <summary>The step actions of flows, as data, so reading and checking agree on them.</summary>
internal static class StepActions
{
    private const ArgumentShape Name = ArgumentShape.Name;
    private const ArgumentShape Template = ArgumentShape.Template;
    private const ArgumentShape Mapping = ArgumentShape.Mapping;

    public static readonly IReadOnlyList<ActionSpec> All =
    [
        new(StepAction.Find, "find", Args(("type", Name), ("where", Mapping), ("in", Name), ("required", ArgumentShape.Boolean)), ["type", "where"]),
        new(StepAction.FindOrCreate, "find_or_create", Args(("type", Name), ("fields", Mapping), ("match", ArgumentShape.Names), ("in", Name), ("await", ArgumentShape.Await)), ["type", "fields"]),
        new(StepAction.Create, "create", Args(("type", Name), ("fields", Mapping), ("in", Name), ("await", ArgumentShape.Await)), ["type", "fields"]),
        new(StepAction.Update, "update", Args(("type", Name), ("record", Template), ("fields", Mapping), ("in", Name), ("await", ArgumentShape.Await)), ["type", "record", "fields"]),
        new(StepAction.Upsert, "upsert", Args(("type", Name), ("fields", Mapping), ("match", ArgumentShape.Names), ("in", Name), ("await", ArgumentShape.Await)), ["type", "fields"]),
        new(StepAction.Set, "set", Args(("type", Name), ("record", Template), ("fields", Mapping)), ["type", "record", "fields"]),
        new(StepAction.Notify, "notify", Args(("via", Name)), ["via"], Open: true),
        new(StepAction.Http, "http", Args(("url", Template), ("method", ArgumentShape.Method), ("headers", Mapping), ("body", ArgumentShape.Any), ("expect", ArgumentShape.Statuses), ("timeout", ArgumentShape.Duration)), ["url"]),
        new(StepAction.Wait, "wait", Args(("for", ArgumentShape.Duration), ("until", Template)), [], OneOf: [["for", "until"]]),
        new(StepAction.Lookup, "lookup", Args(("table", Name), ("rows", Mapping), ("key", Template), ("default", ArgumentShape.Any)), ["key"], OneOf: [["table", "rows"]]),
        new(StepAction.DraftInvoice, "draft_invoice", Args(("text", Template), ("currency", Template), ("timezone", Template), ("type", Name)), ["text"]),
    ];

    /// <summary>The keys a step may have besides its action.</summary>
    public static readonly string[] StepKeys = ["id", "when", "retry", "on_error"];

    /// <summary>The keys of a branch step.</summary>
    public static readonly string[] BranchKeys = ["if", "then", "else", "id"];

    public static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static ActionSpec? Find(string key) => All.FirstOrDefault(a => a.Key == key);

    public static ActionSpec Of(StepAction action) => All.First(a => a.Action == action);

    /// <summary>The key of an action as written (<c>find_or_create</c>); <c>if</c> for a branch.</summary>
    public static string KeyOf(StepAction action) => action == StepAction.If ? "if" : Of(action).Key;

    private static Dictionary<string, ArgumentShape> Args(params (string Name, ArgumentShape Shape)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => a.Shape, StringComparer.Ordinal);
}
