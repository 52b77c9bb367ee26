using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>
/// Checks request bodies against Intuit's own XSD (QuickBooks publishes no OpenAPI). The JSON body
/// is turned into the XML QuickBooks' XML API would take — properties become child elements in the
/// order the type's XSD sequence wants (JSON has no order, so order is never a mistake), arrays
/// repeated elements, attributes and <c>value</c> (simple content) where the type declares them —
/// and validated with <see cref="XmlSchemaSet"/>. Unknown and mistyped properties are reported.
/// </summary>
public sealed class QuickBooksSchema
{
    public const string Namespace = "http://schema.intuit.com/finance/v3";

    private readonly XmlSchemaSet _schemas;
    private readonly ConcurrentDictionary<XmlSchemaComplexType, IReadOnlyDictionary<string, (int Index, XmlSchemaElement Element)>> _orders = new();

    private QuickBooksSchema(XmlSchemaSet schemas) => _schemas = schemas;

    /// <summary>Loads <c>IntuitRestServiceDef.xsd</c> (and what it includes) from a folder.</summary>
    public static QuickBooksSchema Load(string folder)
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        using (var reader = XmlReader.Create(Path.Combine(folder, "IntuitRestServiceDef.xsd"), new XmlReaderSettings { XmlResolver = new XmlUrlResolver(), DtdProcessing = DtdProcessing.Ignore }))
        {
            set.Add(Namespace, reader);
        }

        set.Compile();
        return new QuickBooksSchema(set);
    }

    /// <summary>The XSD's complaints about a body sent as the element <paramref name="element"/> (e.g. <c>Customer</c>); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string element, JsonObject body)
    {
        var xml = ToXml(element, body);
        var problems = new List<string>();
        new XDocument(xml).Validate(_schemas, (_, e) => problems.Add(e.Message));
        return problems;
    }

    /// <summary>The XML form of a JSON body.</summary>
    public XElement ToXml(string element, JsonObject body)
    {
        var declared = _schemas.GlobalElements[new XmlQualifiedName(element, Namespace)] as XmlSchemaElement;
        return Build(XName.Get(element, Namespace), body, declared?.ElementSchemaType);
    }

    private XElement Build(XName name, JsonNode node, XmlSchemaType? type)
    {
        var element = new XElement(name);
        if (node is not JsonObject obj)
        {
            element.Value = Scalar(node);
            return element;
        }

        var complex = type as XmlSchemaComplexType;
        var order = complex is null ? new Dictionary<string, (int, XmlSchemaElement)>() : Order(complex);
        var children = new List<(int Index, XElement Element)>();
        foreach (var (key, value) in obj)
        {
            if (value is null)
            {
                continue;
            }

            if (complex?.AttributeUses[new XmlQualifiedName(key)] is XmlSchemaAttribute)
            {
                element.SetAttributeValue(key, Scalar(value));
            }
            else if (key == "value" && complex?.ContentType == XmlSchemaContentType.TextOnly)
            {
                element.Add(new XText(Scalar(value)));
            }
            else
            {
                var (index, declared) = order.TryGetValue(key, out var found) ? found : (int.MaxValue, null);
                var items = value is JsonArray array ? array.Where(i => i is not null).Select(i => i!) : [value];
                children.AddRange(items.Select(item => (index, Build(XName.Get(key, Namespace), item, declared?.ElementSchemaType))));
            }
        }

        element.Add(children.OrderBy(c => c.Index).Select(c => c.Element));
        return element;
    }

    /// <summary>Each child element of a type with its position in the type's (flattened) content model.</summary>
    private IReadOnlyDictionary<string, (int Index, XmlSchemaElement Element)> Order(XmlSchemaComplexType type) => _orders.GetOrAdd(type, t =>
    {
        var order = new Dictionary<string, (int, XmlSchemaElement)>(StringComparer.Ordinal);
        Walk(t.ContentTypeParticle, order);
        return order;
    });

    private static void Walk(XmlSchemaParticle? particle, Dictionary<string, (int, XmlSchemaElement)> order)
    {
        switch (particle)
        {
            case XmlSchemaElement e:
                order.TryAdd(e.QualifiedName.Name, (order.Count, e));
                break;
            case XmlSchemaGroupBase group:
                foreach (var item in group.Items)
                {
                    Walk(item as XmlSchemaParticle, order);
                }

                break;
        }
    }

    private static string Scalar(JsonNode node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => node.ToJsonString(),
    };
}
