using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>QuickBooks' error bodies: <c>{"Fault":{"Error":[{Message,Detail,code,element}],"type"},"time"}</c>.</summary>
public static class QuickBooksFaults
{
    public static JsonObject Fault(string type, string code, string message, string detail, string? element = null) => new()
    {
        ["Fault"] = new JsonObject
        {
            ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code, ["element"] = element }),
            ["type"] = type,
        },
        ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
    };

    public static JsonObject Validation(string code, string message, string detail, string? element = null) => Fault("ValidationFault", code, message, detail, element);

    public static JsonObject Authentication(string detail) =>
        Fault("AuthenticationFault", "3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail);

    public static JsonObject Authorization(string detail) =>
        Fault("AuthorizationFault", "003100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", detail);

    public static JsonObject NotFound(string entity, string id) =>
        Validation("610", "Object Not Found", $"Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. ({entity} {id})", "Id");

    public static JsonObject Stale(string entity, string id) =>
        Validation("5010", "Stale Object Error", $"Stale Object Error : You and another user were working on the same thing ({entity} {id}). The SyncToken is not the latest.", "SyncToken");

    public static JsonObject DuplicateName(string name) =>
        Validation("6240", "Duplicate Name Exists Error", $"The name supplied already exists. : Another customer, vendor or employee is already using the name {name}. Please use a different name.");

    public static JsonObject Required(string element) =>
        Validation("2020", "Required param missing, need to supply the required value for the API", $"Required parameter {element} is missing in the request", element);

    /// <summary>A write to a company whose subscription has ended (it is read-only until the owner subscribes again).</summary>
    public static JsonObject InvalidCompanyStatus() =>
        Validation("6190", "Invalid Company Status",
            "Subscription period has ended or been canceled, or there was a billing problem : You can't add data to QuickBooks Online Plus because your trial or subscription period ended, you canceled your subscription, or there was a billing problem.");

    public static JsonObject Invalid(string detail) => Validation("2010", "Request has invalid or unsupported property", detail);
}
