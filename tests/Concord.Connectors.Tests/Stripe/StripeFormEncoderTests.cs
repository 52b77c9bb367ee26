using System.Text.Json.Nodes;
using Concord.Connectors.Stripe;

namespace Concord.Connectors.Tests.Stripe;

public sealed class StripeFormEncoderTests
{
    [Fact]
    public void NestedObjectsAndArrays_UseBracketNotation()
    {
        var body = StripeFormEncoder.Encode(new JsonObject
        {
            ["customer"] = "cus_1",
            ["items"] = new JsonArray(new JsonObject { ["price"] = "price_1", ["quantity"] = 2 }),
            ["metadata"] = new JsonObject { ["concord_id"] = "rec_1" },
        });
        Assert.Equal("customer=cus_1&items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2&metadata%5Bconcord_id%5D=rec_1", body);
    }

    [Fact]
    public void ScalarsAreEncodedAsStripeExpects()
    {
        var body = StripeFormEncoder.Encode(new JsonObject
        {
            ["name"] = "Ann & Bob Ltd",
            ["email"] = "ann+billing@example.com",
            ["tax_exempt"] = false,
            ["balance"] = -1250,
            ["phone"] = null,
        });
        Assert.Equal("name=Ann+%26+Bob+Ltd&email=ann%2Bbilling%40example.com&tax_exempt=false&balance=-1250&phone=", body);
    }

    [Fact]
    public void TheSameObject_AlwaysEncodesTheSame()
    {
        JsonObject Make() => new() { ["b"] = "2", ["a"] = new JsonObject { ["y"] = 1, ["x"] = 2 } };
        Assert.Equal(StripeFormEncoder.Encode(Make()), StripeFormEncoder.Encode(Make()));
        Assert.Equal("b=2&a%5By%5D=1&a%5Bx%5D=2", StripeFormEncoder.Encode(Make()));
    }
}
